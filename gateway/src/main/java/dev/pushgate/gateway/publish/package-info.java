/** Publishing, whatever the source (client, HTTP, demo): validation, counting and handing over to the broker. */
package dev.pushgate.gateway.publish;
