/** Namespace policies: what a topic's namespace allows (client publish, presence, join/leave events). */
package dev.pushgate.gateway.policy;
