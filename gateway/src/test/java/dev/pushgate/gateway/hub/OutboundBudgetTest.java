package dev.pushgate.gateway.hub;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget's levels and what each refuses, on a real event loop with hand-set backlogs. */
class OutboundBudgetTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final OutboundBudget budget = new OutboundBudget(1000, group, 100);
    private final LoopBudget share = budget.loop(loop);

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void behindConnectionsAreRefusedFirstAndTheQueuesLast() throws Exception {
        AtomicLong bigPending = new AtomicLong();
        AtomicLong smallPending = new AtomicLong();
        AtomicLong idlePending = new AtomicLong();
        OutboundAccount big = onLoop(() -> share.open(bigPending::get, null));
        OutboundAccount small = onLoop(() -> share.open(smallPending::get, null));
        OutboundAccount idle = onLoop(() -> share.open(idlePending::get, null));

        bigPending.set(450);
        smallPending.set(50);
        onLoop(() -> {
            big.update();
            small.update();
            return null;
        });
        assertEquals(500, budget.inUse());
        // Half the budget: only the one behind by the threshold (100) is refused.
        assertEquals(OutboundBudget.Level.PRESSURE, onLoop(share::refresh));
        assertTrue(big.refused());
        assertFalse(small.refused());
        assertFalse(idle.refused());

        bigPending.set(700);
        onLoop(() -> {
            big.update();
            return null;
        });
        // Three quarters: any backlog is refused; a connection with none is still served.
        assertEquals(OutboundBudget.Level.FULL, onLoop(share::refresh));
        assertTrue(small.refused());
        assertFalse(idle.refused());
        // The queues take what still fits under the limit, then nothing.
        assertTrue(budget.tryQueue(200));
        assertFalse(budget.tryQueue(100));
        budget.dequeued(200);

        // A closed connection gives its backlog back.
        onLoop(() -> {
            big.close();
            return null;
        });
        assertEquals(50, budget.inUse());
        assertEquals(OutboundBudget.Level.UNDER, onLoop(share::refresh));
        assertFalse(small.refused());
    }

    @Test
    void aBacklogThatDrainsOnItsOwnIsFoundByTheSweep() throws Exception {
        AtomicLong pending = new AtomicLong(300);
        CountDownLatch caughtUp = new CountDownLatch(1);
        OutboundAccount a = onLoop(() -> {
            OutboundAccount account = share.open(pending::get, caughtUp::countDown);
            account.update();
            return account;
        });
        assertEquals(300, budget.inUse());
        pending.set(0); // the socket took it; nothing tells the gateway
        assertTrue(caughtUp.await(5, TimeUnit.SECONDS), "the sweep saw the drain");
        assertEquals(0, budget.inUse());
        assertEquals(0, onLoop(a::counted));
    }
}
