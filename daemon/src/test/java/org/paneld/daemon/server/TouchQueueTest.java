package org.paneld.daemon.server;

import static org.junit.jupiter.api.Assertions.*;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.paneld.protocol.Frame;
import org.paneld.protocol.Message;
import org.paneld.protocol.Message.Touch;

/**
 * The per-connection TOUCH bound (PROTOCOL.md section 15): a client that does not read costs at
 * most {@link TouchQueue#CAPACITY} waiting events (plus lone DOWN/UPs per contact), loses old
 * MOVEs first, whole unseen contacts next, never a DOWN or UP alone, and sees every contact as a
 * well-formed DOWN, MOVE…, UP in order, with DROPPED where something was lost.
 */
class TouchQueueTest {
    private static Touch t(int session, int kind, int slot, int x) {
        return new Touch(session, kind, slot, x, 0, x, 0, 255, 0, x);
    }

    private static List<Touch> drainAll(TouchQueue q) {
        EmbeddedChannel ch = new EmbeddedChannel();
        q.writeAll(ch);
        List<Touch> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.add((Touch) ((Frame) o).message());
        }
        ch.finishAndReleaseAll();
        return out;
    }

    /** Per contact (session, slot): DOWN, MOVE…, UP, DOWN …; positions in increasing order (they were sent so). */
    private static void assertWellFormed(List<Touch> events) {
        Map<Long, Touch> last = new HashMap<>();
        for (Touch e : events) {
            long key = (long) e.session() << 16 | e.slot();
            Touch before = last.put(key, e);
            boolean open = before != null && before.kind() != Message.TOUCH_UP;
            if (e.kind() == Message.TOUCH_DOWN) {
                assertFalse(open, "a DOWN while the contact is down: " + before + " then " + e);
            } else {
                assertTrue(open, "a " + e.kindName() + " without its DOWN: " + e);
            }
            if (before != null) {
                assertTrue(before.x() < e.x(), "reordered: " + before + " then " + e);
            }
        }
    }

    @Test
    void aLongDragKeepsItsDownAndUpAndTheNewestMoves() {
        TouchQueue q = new TouchQueue(() -> false);
        q.offer(t(1, Message.TOUCH_DOWN, 0, 0));
        for (int i = 1; i < 1000; i++) {
            q.offer(t(1, Message.TOUCH_MOVE, 0, i));
        }
        q.offer(t(1, Message.TOUCH_UP, 0, 1000));
        assertEquals(TouchQueue.CAPACITY, q.waiting());
        assertEquals(1001 - TouchQueue.CAPACITY, q.dropped());
        List<Touch> out = drainAll(q);
        assertWellFormed(out);
        assertEquals(Message.TOUCH_DOWN, out.get(0).kind());
        assertEquals(Message.TOUCH_UP, out.get(out.size() - 1).kind());
        assertEquals(1000 - TouchQueue.CAPACITY + 2, out.get(1).x(), "the oldest MOVEs went");
        assertEquals(Message.TOUCH_DROPPED, out.get(1).flags() & Message.TOUCH_DROPPED, "the first MOVE after the gap says so");
        assertEquals(0, out.get(2).flags() & Message.TOUCH_DROPPED);
        assertEquals(0, q.waiting());
    }

    @Test
    void manyTapsLoseWholeContactsNeverHalfOne() {
        TouchQueue q = new TouchQueue(() -> false);
        for (int i = 0; i < 500; i++) {
            q.offer(t(1, Message.TOUCH_DOWN, 0, 2 * i));
            q.offer(t(1, Message.TOUCH_UP, 0, 2 * i + 1));
        }
        assertTrue(q.waiting() <= TouchQueue.CAPACITY, "bounded: " + q.waiting());
        List<Touch> out = drainAll(q);
        assertWellFormed(out);
        assertEquals(Message.TOUCH_DROPPED, out.get(0).flags() & Message.TOUCH_DROPPED, "taps before were lost");
        assertEquals(999, out.get(out.size() - 1).x(), "the newest tap is kept");
    }

    @Test
    void randomTouchesOfSeveralSessionsStayWellFormedAndBounded() {
        Random rnd = new Random(15);
        for (int round = 0; round < 20; round++) {
            TouchQueue q = new TouchQueue(() -> false);
            boolean[][] down = new boolean[3][2];
            List<Touch> out = new ArrayList<>();
            int x = 0;
            for (int i = 0; i < 2000; i++) {
                int s = rnd.nextInt(3);
                int slot = rnd.nextInt(2);
                int kind = !down[s][slot] ? Message.TOUCH_DOWN : rnd.nextInt(8) == 0 ? Message.TOUCH_UP : Message.TOUCH_MOVE;
                down[s][slot] = kind != Message.TOUCH_UP;
                q.offer(t(s + 1, kind, slot, ++x));
                assertTrue(q.waiting() <= TouchQueue.CAPACITY + 3 * 2 * 2, "bounded: " + q.waiting());
                if (rnd.nextInt(300) == 0) {
                    out.addAll(drainAll(q)); // the client reads now and then
                }
            }
            out.addAll(drainAll(q));
            assertWellFormed(out);
        }
    }

    @Test
    void onlyAFewAreHandedToAChannelThatDoesNotTakeThem() {
        TouchQueue q = new TouchQueue(() -> false);
        EmbeddedChannel ch = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                // a socket that does not take anything: the write never completes
            }
        });
        for (int i = 0; i < 10; i++) {
            q.offer(t(1, i == 0 ? Message.TOUCH_DOWN : Message.TOUCH_MOVE, 0, i));
        }
        q.drain(ch);
        assertEquals(10 - TouchQueue.IN_FLIGHT, q.waiting(), "the rest wait in the bounded queue");
        TouchQueue held = new TouchQueue(() -> true);
        held.offer(t(1, Message.TOUCH_DOWN, 0, 0));
        held.drain(ch);
        assertEquals(1, held.waiting(), "nothing goes out while the output is held (fd exchange)");
        ch.finishAndReleaseAll();
    }
}
