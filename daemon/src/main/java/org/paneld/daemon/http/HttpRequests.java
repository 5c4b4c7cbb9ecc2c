package org.paneld.daemon.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.paneld.drivers.pixel.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection of the {@code [http]} endpoint: one request, one answer, then the
 * connection closes (no keep-alive, no pipelining), except {@code /events}, which stays open as a
 * live view. Checks, in order: a decodable request (400, 414 line too long, 431 headers too
 * large), within {@value HttpView#REQUEST_TIMEOUT_MS} ms (408), GET or HEAD (405), the Host on a
 * tokenless loopback endpoint (403: a web page elsewhere cannot read the panels through DNS
 * rebinding), the token when one is set (401), then the path (404). Not sharable: one per channel.
 * Threads: the channel's event loop; the heavy answers come back from the HTTP work thread.
 */
final class HttpRequests extends SimpleChannelInboundHandler<HttpObject> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRequests.class);
    private static final Pattern DEVICE_PNG = Pattern.compile("/devices/([A-Za-z0-9][A-Za-z0-9_.:-]{0,63})\\.png");
    private static final List<String> LOOPBACK_HOSTS = List.of("127.0.0.1", "localhost", "[::1]");

    private final HttpView view;
    private boolean answered;
    private boolean counted;
    private boolean refuse;
    private ScheduledFuture<?> timeout;

    HttpRequests(HttpView view) {
        this.view = view;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        counted = true;
        // over the limit: answered 503 as soon as its request is read (closing before reading it
        // would make the kernel reset the connection and lose the answer)
        // within a second; beyond twice the limit, closed at once without an answer (a flood)
        int open = view.connections().incrementAndGet();
        refuse = open > HttpView.MAX_CONNECTIONS;
        if (open > 2 * HttpView.MAX_CONNECTIONS) {
            answered = true;
            ctx.close();
            return;
        }
        long deadline = refuse ? Math.min(1000, view.requestTimeoutMs()) : view.requestTimeoutMs();
        timeout = ctx.executor().schedule(() -> {
            if (!answered) {
                answered = true;
                respond(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "no complete request within " + deadline + " ms\n", false);
            }
        }, deadline, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (counted) {
            view.connections().decrementAndGet();
            counted = false;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        view.live().remove(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpRequest) || answered) {
            return; // bodies and anything after the one request are dropped (the connection closes after the answer)
        }
        answered = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        HttpRequest req = (HttpRequest) msg;
        if (refuse) {
            FullHttpResponse busy = response(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many HTTP connections (at most "
                    + HttpView.MAX_CONNECTIONS + ")\n", false);
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, 5);
            send(ctx, busy);
            return;
        }
        DecoderResult r = req.decoderResult();
        if (r.isFailure()) {
            Throwable c = r.cause();
            HttpResponseStatus st = c instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : c instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : c instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            respond(ctx, st, "bad request: " + c.getMessage() + "\n", false);
            return;
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        if (!head && !req.method().equals(HttpMethod.GET)) {
            FullHttpResponse res = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD\n", false);
            res.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, res);
            return;
        }
        QueryStringDecoder q = new QueryStringDecoder(req.uri());
        try {
            q.path();
            q.parameters();
        } catch (IllegalArgumentException e) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad request: malformed URI (" + e.getMessage() + ")\n", head);
            return;
        }
        if (view.config().token() == null && view.config().loopback() && !loopbackHost(req.headers().get(HttpHeaderNames.HOST))) {
            respond(ctx, HttpResponseStatus.FORBIDDEN, "this endpoint answers only to Host 127.0.0.1, localhost or [::1]\n", head);
            return;
        }
        if (!authorized(req, q)) {
            FullHttpResponse res = response(HttpResponseStatus.UNAUTHORIZED,
                    "a token is needed: header 'Authorization: Bearer TOKEN' or ?token=TOKEN\n", head);
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"paneld\"");
            send(ctx, res);
            return;
        }
        route(ctx, q.path(), head);
    }

    private static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host;
        int colon = h.lastIndexOf(':');
        if (colon > 0 && h.indexOf(']') < colon) {
            h = h.substring(0, colon);
        }
        return LOOPBACK_HOSTS.contains(h.toLowerCase(java.util.Locale.ROOT));
    }

    private boolean authorized(HttpRequest req, QueryStringDecoder q) {
        String token = view.config().token();
        if (token == null) {
            return true;
        }
        byte[] want = token.getBytes(StandardCharsets.UTF_8);
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(want, auth.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        List<String> t = q.parameters().get("token");
        return t != null && t.size() == 1 && MessageDigest.isEqual(want, t.get(0).getBytes(StandardCharsets.UTF_8));
    }

    private void route(ChannelHandlerContext ctx, String path, boolean head) {
        if (path.equals("/") || path.equals("/index.html")) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(view.page()));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, view.page().length)
                    .set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline';"
                            + " script-src 'unsafe-inline'; connect-src 'self'")
                    .set("X-Content-Type-Options", "nosniff");
            send(ctx, res);
        } else if (path.equals("/metrics")) {
            later(ctx, () -> {
                byte[] body = view.metrics().scrape();
                FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
                res.headers().set(HttpHeaderNames.CONTENT_TYPE, view.metrics().contentType())
                        .set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                return res;
            });
        } else if (path.equals("/events")) {
            watch(ctx, head);
        } else {
            java.util.regex.Matcher m = DEVICE_PNG.matcher(path);
            if (m.matches()) {
                String name = m.group(1);
                later(ctx, () -> {
                    boolean known = view.directory().panels().stream().anyMatch(p -> p.name().equals(name));
                    if (!known) {
                        return response(HttpResponseStatus.NOT_FOUND, "no panel named " + name + "\n", head);
                    }
                    RgbImage img = view.directory().picture(name);
                    if (img == null) {
                        return response(HttpResponseStatus.NOT_FOUND, name + " has no picture yet (nothing drawn)\n", head);
                    }
                    byte[] png = Png.encode(img);
                    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(png));
                    res.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/png").set(HttpHeaderNames.CONTENT_LENGTH, png.length);
                    return res;
                });
            } else {
                respond(ctx, HttpResponseStatus.NOT_FOUND, "no such page: " + abbreviate(path)
                        + " (there are /, /events, /devices/NAME.png and /metrics)\n", head);
            }
        }
    }

    private void watch(ChannelHandlerContext ctx, boolean head) {
        if (head) {
            HttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            send(ctx, (FullHttpResponse) res);
            return;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (!view.live().add(ctx.channel())) {
            FullHttpResponse busy = response(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many live views open (at most "
                    + view.config().maxWatchers() + ")\n", false);
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, 10);
            send(ctx, busy);
            return;
        }
        // headers first, on this loop; the work thread's writes are queued behind them
        view.metrics().answered(200);
        ctx.writeAndFlush(res);
        ctx.executor().execute(() -> ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                Unpooled.copiedBuffer(": paneld live view\nretry: 2000\n\n", StandardCharsets.UTF_8))));
    }

    /** Builds the answer on the work thread; 503 when its queue is full. */
    private void later(ChannelHandlerContext ctx, Answer answer) {
        boolean queued = view.submit(() -> {
            FullHttpResponse res;
            try {
                res = answer.build();
            } catch (Exception e) {
                LOG.warn("http: {}", e.toString());
                res = response(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error: " + e + "\n", false);
            }
            send(ctx, res);
        });
        if (!queued) {
            FullHttpResponse busy = response(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy: too many requests waiting\n", false);
            busy.headers().set(HttpHeaderNames.RETRY_AFTER, 1);
            send(ctx, busy);
        }
    }

    @FunctionalInterface
    private interface Answer {
        FullHttpResponse build() throws Exception;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    private static FullHttpResponse response(HttpResponseStatus st, String text, boolean head) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, st, head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(b));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8").set(HttpHeaderNames.CONTENT_LENGTH, b.length);
        return res;
    }

    private void respond(ChannelHandlerContext ctx, HttpResponseStatus st, String text, boolean head) {
        send(ctx, response(st, text, head));
    }

    /** Sends {@code res} and closes the connection after it (any thread). */
    private void send(ChannelHandlerContext ctx, FullHttpResponse res) {
        view.metrics().answered(res.status().code());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff");
        if (!ctx.channel().isActive()) {
            res.release();
            return;
        }
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("http: {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
