/*
 * libpaneld against a running paneld (PANELD_SOCKET, or argv[1]) that serves two virtual panels
 * "lcd0" (320x240) and "lcd1" (any size), as the quick start's built-in defaults do; the peer
 * must be allowed admin requests (unplug, replug, snapshot): root or paneld's own uid.
 *
 *     paneld_test [SOCKET]                     the checks below; exit 0 when all pass
 *                                              (PANELD_TCP=tcp:HOST:PORT adds the TCP checks)
 *     paneld_test check-snapshot SOCKET DEVICE FILE
 *                                              the panel shows FILE (raw XRGB8888, its size), in
 *                                              the bits of each colour an RGB565 panel keeps
 *
 * Colours are built from 5/6-bit values replicated to 8 bits, so the same expectation holds on
 * an exact virtual-fb panel and on an RGB565 MIPI DBI emulator.
 */
#define _POSIX_C_SOURCE 200809L
#include "paneld.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static uint32_t rep5(uint32_t v) { v &= 31; return v << 3 | v >> 2; }
static uint32_t rep6(uint32_t v) { v &= 63; return v << 2 | v >> 4; }

/* a picture that survives RGB565 exactly: different at every pixel and for every seed */
static uint32_t pattern(int x, int y, int seed) {
    return rep5((uint32_t) (x + seed)) << 16 | rep6((uint32_t) (y + 3 * seed)) << 8 | rep5((uint32_t) (x / 32 + y / 24 + seed));
}

static void draw(paneld_buffer *b, int seed) {
    for (uint32_t y = 0; y < b->height; y++) {
        uint32_t *row = (uint32_t *) ((unsigned char *) b->pixels + (size_t) y * b->stride);
        for (uint32_t x = 0; x < b->width; x++) row[x] = pattern((int) x, (int) y, seed);
    }
}

/* number of pixels of the snapshot of device that differ from want(x, y) (0xFFFFFFFF: skip) */
static long differences_masked(paneld_client *admin, const char *device, uint32_t w, uint32_t h, const uint32_t *want,
                               const char *what, uint32_t mask) {
    uint32_t *px = NULL, sw = 0, sh = 0;
    int e = paneld_snapshot(admin, device, &px, &sw, &sh);
    CHECK(e == 0, "%s: snapshot of %s: %s", what, device, paneld_errmsg(admin));
    if (e != 0) return -1;
    long bad = 0;
    CHECK(sw == w && sh == h, "%s: snapshot is %ux%u, want %ux%u", what, sw, sh, w, h);
    if (sw == w && sh == h) {
        for (size_t i = 0; i < (size_t) w * h; i++) {
            if (want[i] != 0xFFFFFFFFu && (px[i] & mask) != (want[i] & mask)) {
                if (bad < 3) {
                    fprintf(stderr, "  %s: pixel %zu,%zu is %06x, want %06x\n", what, i % w, i / w, px[i], want[i] & 0xFFFFFF);
                }
                bad++;
            }
        }
    }
    free(px);
    return bad;
}

static long differences(paneld_client *admin, const char *device, uint32_t w, uint32_t h, const uint32_t *want,
                        const char *what) {
    return differences_masked(admin, device, w, h, want, what, 0xFFFFFF);
}

static int next_of_type(paneld_client *c, int type, paneld_event *ev) {
    for (int i = 0; i < 50; i++) { /* skip other events; each wait is bounded */
        int r = paneld_next_event(c, ev, 5000);
        if (r <= 0) return r;
        if (ev->type == type) return 1;
    }
    return 0;
}

static int check_snapshot(const char *sock, const char *device, const char *file) {
    paneld_client *c = paneld_connect(sock);
    if (!c) {
        fprintf(stderr, "connect: %s\n", paneld_errmsg(NULL));
        return 1;
    }
    paneld_device devs[16];
    int n = paneld_list(c, devs, 16);
    uint32_t w = 0, h = 0;
    for (int i = 0; i < n && i < 16; i++) {
        if (strcmp(devs[i].name, device) == 0) {
            w = devs[i].width;
            h = devs[i].height;
        }
    }
    REQUIRE(w > 0, "no device %s", device);
    uint32_t *want = malloc((size_t) w * h * 4);
    FILE *f = fopen(file, "rb");
    REQUIRE(f && want, "cannot open %s", file);
    size_t got = fread(want, 4, (size_t) w * h, f);
    fclose(f);
    REQUIRE(got == (size_t) w * h, "%s holds %zu pixels, want %u", file, got, w * h);
    /* any picture: compared in the bits an RGB565 panel keeps (the daemon truncates XRGB8888 to RGB565) */
    long bad = differences_masked(c, device, w, h, want, "last frame", 0xF8FCF8);
    CHECK(bad == 0, "%ld pixels of %s differ from %s", bad, device, file);
    free(want);
    paneld_disconnect(c);
    printf("check-snapshot %s: %s\n", device, failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "check-snapshot") == 0) return check_snapshot(argv[2], argv[3], argv[4]);
    const char *sock = argc > 1 ? argv[1] : getenv("PANELD_SOCKET");
    REQUIRE(sock && *sock, "give the socket as argument or in PANELD_SOCKET");
    setenv("PANELD_SOCKET", sock, 1);

    /* ---- connect: errors name the place; NULL finds $PANELD_SOCKET */
    paneld_client *none = paneld_connect("/nonexistent/paneld.sock");
    CHECK(none == NULL && errno == ENOENT, "errno %d", errno);
    CHECK(strstr(paneld_errmsg(NULL), "/nonexistent/paneld.sock") != NULL, "message '%s'", paneld_errmsg(NULL));
    CHECK(strstr(paneld_strerror(-ENODEV), "ENODEV") != NULL, "%s", paneld_strerror(-ENODEV));
    paneld_client *c = paneld_connect(NULL);
    REQUIRE(c != NULL, "connect(NULL) with PANELD_SOCKET=%s: %s", sock, paneld_errmsg(NULL));
    CHECK(paneld_can_share(c), "a Unix socket passes fds");
    /* without $PANELD_SOCKET and /run/paneld/paneld.sock: $XDG_RUNTIME_DIR/paneld.sock (panelctl's rule) */
    size_t sl = strlen(sock);
    if (sl > 12 && strcmp(sock + sl - 12, "/paneld.sock") == 0 && access("/run/paneld/paneld.sock", F_OK) != 0) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", (int) (sl - 12), sock);
        unsetenv("PANELD_SOCKET");
        setenv("XDG_RUNTIME_DIR", dir, 1);
        paneld_client *x = paneld_connect(NULL);
        CHECK(x != NULL, "connect(NULL) with XDG_RUNTIME_DIR=%s: %s", dir, paneld_errmsg(NULL));
        paneld_disconnect(x);
        setenv("XDG_RUNTIME_DIR", "/nonexistent-xdg", 1);
        setenv("USER", "paneld-test-nobody", 1);
        CHECK(paneld_connect(NULL) == NULL, "no daemon at the per-user path");
        /* neither exists: where a daemon of this user would listen (DefaultSocket.forDaemon) */
        int run_ok = access("/run/paneld", F_OK) == 0 ? access("/run/paneld", W_OK) == 0 : access("/run", W_OK) == 0;
        const char *where = run_ok ? "/run/paneld/paneld.sock" : "/tmp/paneld-paneld-test-nobody/paneld.sock";
        CHECK(strstr(paneld_errmsg(NULL), where) != NULL, "'%s' should name %s", paneld_errmsg(NULL), where);
        setenv("PANELD_SOCKET", sock, 1);
    }
    paneld_client *admin = paneld_connect(sock);
    REQUIRE(admin != NULL, "second connection: %s", paneld_errmsg(NULL));
    REQUIRE(paneld_is_admin(admin), "the test needs admin rights (run as root or paneld's uid)");

    /* ---- list */
    paneld_device devs[8];
    int n = paneld_list(c, devs, 8);
    REQUIRE(n >= 2, "list gave %d: %s", n, paneld_errmsg(c));
    int i0 = -1, i1 = -1;
    for (int i = 0; i < n && i < 8; i++) {
        if (strcmp(devs[i].name, "lcd0") == 0) i0 = i;
        if (strcmp(devs[i].name, "lcd1") == 0) i1 = i;
    }
    REQUIRE(i0 >= 0 && i1 >= 0, "lcd0 and lcd1 must be listed");
    CHECK(devs[i0].width == 320 && devs[i0].height == 240, "lcd0 is %ux%u", devs[i0].width, devs[i0].height);
    CHECK(devs[i0].flags & PANELD_DEVICE_CONNECTED, "flags %u", devs[i0].flags);
    CHECK(paneld_list(c, NULL, 0) == n, "count only");

    /* ---- device info: size, formats, the backlight property */
    paneld_info info;
    memset(&info, 0, sizeof info);
    CHECK(paneld_device_info(c, "lcd0", &info) == 0, "info: %s", paneld_errmsg(c));
    CHECK(strcmp(info.name, "lcd0") == 0 && info.width == 320 && info.height == 240, "%s %ux%u", info.name, info.width,
          info.height);
    CHECK(strcmp(info.driver, devs[i0].driver) == 0 && info.panel_format[0] && strcmp(info.update_class, "fast") == 0,
          "driver %s panel_format %s update %s", info.driver, info.panel_format, info.update_class);
    int has_xrgb = 0, has_backlight = 0;
    for (int i = 0; i < info.format_count && i < 16; i++) has_xrgb |= info.formats[i] == PANELD_FORMAT_XRGB8888;
    for (int i = 0; i < info.property_count && i < 16; i++) {
        if (strcmp(info.properties[i].name, "backlight") == 0) {
            has_backlight = info.properties[i].min == 0 && info.properties[i].max == 100;
        }
    }
    CHECK(has_xrgb && has_backlight, "formats %d (XRGB8888 %d), backlight 0..100 %d", info.format_count, has_xrgb, has_backlight);
    CHECK(paneld_device_info(c, "no-such-panel", &info) == -ENOENT, "info of an unknown device: %s", paneld_errmsg(c));

    /* ---- open: unknown device, owner, a second session waits in line */
    CHECK(paneld_open(c, "no-such-panel", PANELD_OPEN_OWNER) == NULL && errno == ENOENT, "errno %d", errno);
    CHECK(paneld_errcode(c) == -ENOENT, "errcode %d", paneld_errcode(c));
    paneld_session *s = paneld_open(c, "lcd0", PANELD_OPEN_OWNER);
    REQUIRE(s != NULL, "open lcd0: %s", paneld_errmsg(c));
    CHECK(s->owner == 1 && s->width == 320 && s->height == 240, "owner %d %ux%u", s->owner, s->width, s->height);
    paneld_client *other = paneld_connect(sock);
    REQUIRE(other != NULL, "third connection: %s", paneld_errmsg(NULL));
    paneld_session *s2 = paneld_open(other, "lcd0", PANELD_OPEN_OWNER);
    REQUIRE(s2 != NULL, "second session: %s", paneld_errmsg(other));
    CHECK(s2->owner == 0, "lcd0 already has an owner");

    /* ---- shared buffer: mmap of the passed fd, a full frame, pixel for pixel */
    paneld_buffer *b = paneld_buffer_create(s, 320, 240, PANELD_FORMAT_XRGB8888, 1);
    REQUIRE(b != NULL, "shared buffer: %s", paneld_errmsg(c));
    CHECK(b->shared == 1 && b->stride == 1280 && b->size == 1280u * 240u, "shared %d stride %u size %zu", b->shared,
          b->stride, b->size);
    uint32_t *want = malloc(320 * 240 * 4);
    REQUIRE(want != NULL, "memory");
    draw(b, 1);
    memcpy(want, b->pixels, 320 * 240 * 4);
    paneld_rect full = {0, 0, 320, 240};
    int e = paneld_flush(s, b, &full, 1);
    CHECK(e == 0, "flush: %s", paneld_errmsg(c));
    CHECK(differences(admin, "lcd0", 320, 240, want, "full frame") == 0, "the panel shows the shared buffer");

    /* ---- damage: two rectangles are sent, a pixel outside them is not */
    draw(b, 2);
    paneld_rect two[2] = {{10, 20, 30, 40}, {200, 100, 64, 48}};
    for (int k = 0; k < 2; k++) {
        for (int y = two[k].y; y < two[k].y + two[k].height; y++) {
            for (int x = two[k].x; x < two[k].x + two[k].width; x++) want[y * 320 + x] = pattern(x, y, 2);
        }
    }
    CHECK(paneld_flush(s, b, two, 2) == 0, "flush of two rectangles: %s", paneld_errmsg(c));
    CHECK(differences(admin, "lcd0", 320, 240, want, "two rectangles") == 0, "only the rectangles changed");

    /* ---- EINVAL: a rectangle one column outside, never clipped; nothing drawn */
    paneld_rect out = {319, 20, 2, 2};
    e = paneld_flush(s, b, &out, 1);
    CHECK(e == -EINVAL, "got %d (%s)", e, paneld_errmsg(c));
    CHECK(strstr(paneld_errmsg(c), "rectangle") != NULL, "message '%s'", paneld_errmsg(c));
    CHECK(paneld_flush(s, b, &full, 0) == -EINVAL, "zero rectangles");

    /* ---- two buffers, two flushes in flight: carried out in order, the second one shows */
    paneld_buffer *bb = paneld_buffer_create(s, 320, 240, PANELD_FORMAT_XRGB8888, 1);
    REQUIRE(bb != NULL, "second shared buffer: %s", paneld_errmsg(c));
    draw(b, 8);
    draw(bb, 9);
    long t1 = paneld_flush_async(s, b, &full, 1);
    long t2 = paneld_flush_async(s, bb, &full, 1);
    long t3 = paneld_flush_async(s, bb, &out, 1); /* refused: its error comes with its own ticket */
    CHECK(t1 > 0 && t2 > 0 && t3 > 0 && t1 != t2, "tickets %ld %ld %ld: %s", t1, t2, t3, paneld_errmsg(c));
    CHECK(paneld_set_property(s, "backlight", 90) == 0, "a request between: %s", paneld_errmsg(c));
    CHECK(paneld_wait(c, t3) == -EINVAL, "third: %s", paneld_errmsg(c));
    CHECK(paneld_wait(c, t1) == 0 && paneld_wait(c, t2) == 0, "async flushes: %s", paneld_errmsg(c));
    CHECK(paneld_wait(c, t2) == -EINVAL, "a ticket is waited for once");
    memcpy(want, bb->pixels, 320 * 240 * 4);
    CHECK(differences(admin, "lcd0", 320, 240, want, "two in flight") == 0, "the panel shows the second flush");
    CHECK(paneld_buffer_destroy(bb) == 0, "destroy: %s", paneld_errmsg(c));

    /* ---- EBUSY: the second session does not own the display */
    paneld_buffer *b2 = paneld_buffer_create(s2, 320, 240, PANELD_FORMAT_XRGB8888, 1);
    REQUIRE(b2 != NULL, "buffer of the waiting session: %s", paneld_errmsg(other));
    e = paneld_flush(s2, b2, &full, 1);
    CHECK(e == -EBUSY, "flush by a non-owner gave %d (%s)", e, paneld_errmsg(other));
    CHECK(paneld_set_property(s2, "backlight", 10) == -EBUSY, "set property by a non-owner");

    /* ---- properties */
    CHECK(paneld_set_property(s, "backlight", 50) == 0, "backlight 50: %s", paneld_errmsg(c));
    CHECK(paneld_set_property(s, "backlight", 1000) == -EINVAL, "backlight 1000: %s", paneld_errmsg(c));
    CHECK(paneld_set_property(s, "no-such-property", 1) == -ENOENT, "unknown property: %s", paneld_errmsg(c));
    CHECK(paneld_set_property(s, "backlight", 100) == 0, "backlight 100: %s", paneld_errmsg(c));

    /* ---- flip: waited for, and queued with its FLIP_COMPLETE event */
    draw(b, 3);
    memcpy(want, b->pixels, 320 * 240 * 4);
    CHECK(paneld_flip(s, b, 1) == 0, "flip: %s", paneld_errmsg(c));
    CHECK(differences(admin, "lcd0", 320, 240, want, "flip") == 0, "the panel shows the flipped buffer");
    draw(b, 4);
    memcpy(want, b->pixels, 320 * 240 * 4);
    CHECK(paneld_flip(s, b, 0) == 0, "queued flip: %s", paneld_errmsg(c));
    paneld_event ev;
    CHECK(next_of_type(c, PANELD_EV_FLIP_COMPLETE, &ev) == 1, "FLIP_COMPLETE: %s", paneld_errmsg(c));
    CHECK(ev.session == s && ev.buffer_handle == b->handle && ev.error == 0, "session %p buffer %u error %d",
          (void *) ev.session, ev.buffer_handle, ev.error);
    CHECK(differences(admin, "lcd0", 320, 240, want, "queued flip") == 0, "the panel shows the second flip");

    /* ---- inline buffer (WRITE), RGB565, a rectangle; a bad one is refused before any byte is read */
    paneld_buffer *in = paneld_buffer_create(s, 320, 240, PANELD_FORMAT_RGB565, 0);
    REQUIRE(in != NULL, "inline buffer: %s", paneld_errmsg(c));
    CHECK(in->shared == 0 && in->stride == 640, "shared %d stride %u", in->shared, in->stride);
    for (int y = 0; y < 240; y++) {
        uint16_t *row = (uint16_t *) ((unsigned char *) in->pixels + (size_t) y * in->stride);
        for (int x = 0; x < 320; x++) {
            uint32_t p = pattern(x, y, 5);
            row[x] = (uint16_t) ((p >> 19 & 31) << 11 | (p >> 10 & 63) << 5 | (p >> 3 & 31));
        }
    }
    paneld_rect part = {100, 50, 120, 100};
    for (int y = part.y; y < part.y + part.height; y++) {
        for (int x = part.x; x < part.x + part.width; x++) want[y * 320 + x] = pattern(x, y, 5);
    }
    CHECK(paneld_flush(s, in, &part, 1) == 0, "inline flush: %s", paneld_errmsg(c));
    CHECK(differences(admin, "lcd0", 320, 240, want, "inline rgb565") == 0, "the panel shows the inline rectangle");
    paneld_rect neg = {-1, 0, 10, 10};
    CHECK(paneld_flush(s, in, &neg, 1) == -EINVAL, "inline: negative x");
    CHECK(paneld_buffer_destroy(in) == 0, "destroy: %s", paneld_errmsg(c));

    /* ---- ownership passes on when the owner closes: OWNERSHIP event on the waiting session */
    CHECK(paneld_close(s) == 0, "close: %s", paneld_errmsg(c));
    CHECK(next_of_type(other, PANELD_EV_OWNERSHIP, &ev) == 1, "OWNERSHIP: %s", paneld_errmsg(other));
    CHECK(ev.session == s2 && s2->owner == 1, "session %p owner %d", (void *) ev.session, s2->owner);
    draw(b2, 6);
    memcpy(want, b2->pixels, 320 * 240 * 4);
    CHECK(paneld_flush(s2, b2, &full, 1) == 0, "flush by the new owner: %s", paneld_errmsg(other));
    CHECK(differences(admin, "lcd0", 320, 240, want, "new owner") == 0, "the panel shows the new owner's frame");
    paneld_disconnect(other); /* closes s2 and b2 */

    /* ---- unplug and replug: UNPLUGGED, ENODEV, DEVICE_REMOVED/ADDED, a new session works */
    uint32_t w1 = devs[i1].width, h1 = devs[i1].height;
    CHECK(paneld_subscribe(c, PANELD_SUB_DEVICE_ADDED | PANELD_SUB_DEVICE_REMOVED) == 0, "subscribe: %s", paneld_errmsg(c));
    paneld_session *u = paneld_open(c, "lcd1", PANELD_OPEN_OWNER);
    REQUIRE(u != NULL, "open lcd1: %s", paneld_errmsg(c));
    paneld_buffer *ub = paneld_buffer_create(u, w1, h1, PANELD_FORMAT_XRGB8888, 1);
    REQUIRE(ub != NULL, "lcd1 buffer: %s", paneld_errmsg(c));
    CHECK(paneld_admin_unplug(admin, "lcd1") == 0, "unplug: %s", paneld_errmsg(admin));
    CHECK(next_of_type(c, PANELD_EV_UNPLUGGED, &ev) == 1, "UNPLUGGED: %s", paneld_errmsg(c));
    CHECK(ev.session == u && u->unplugged && strcmp(ev.text, "lcd1") == 0, "session %p '%s'", (void *) ev.session, ev.text);
    paneld_rect r1 = {0, 0, (int32_t) w1, (int32_t) h1};
    e = paneld_flush(u, ub, &r1, 1);
    CHECK(e == -ENODEV, "flush after unplug gave %d (%s)", e, paneld_errmsg(c));
    CHECK(paneld_flip(u, ub, 1) == -ENODEV, "flip after unplug");
    CHECK(paneld_set_property(u, "backlight", 5) == -ENODEV, "property after unplug");
    CHECK(paneld_open(c, "lcd1", 0) == NULL && errno == ENOENT, "open of an unplugged device: errno %d", errno);
    CHECK(paneld_list(c, NULL, 0) == n - 1, "the unplugged device is not listed");
    CHECK(paneld_close(u) == 0, "close after unplug: %s", paneld_errmsg(c));
    CHECK(paneld_admin_replug(admin, "lcd1") == 0, "replug: %s", paneld_errmsg(admin));
    CHECK(next_of_type(c, PANELD_EV_DEVICE_ADDED, &ev) == 1 && strcmp(ev.text, "lcd1") == 0, "DEVICE_ADDED '%s'", ev.text);
    u = paneld_open(c, "lcd1", PANELD_OPEN_OWNER);
    REQUIRE(u != NULL, "open lcd1 after replug: %s", paneld_errmsg(c));
    ub = paneld_buffer_create(u, w1, h1, PANELD_FORMAT_XRGB8888, 1);
    REQUIRE(ub != NULL, "lcd1 buffer after replug: %s", paneld_errmsg(c));
    draw(ub, 7);
    CHECK(paneld_flush(u, ub, &r1, 1) == 0, "flush after replug: %s", paneld_errmsg(c));
    CHECK(differences(admin, "lcd1", w1, h1, (const uint32_t *) ub->pixels, "after replug") == 0, "lcd1 shows it");

    /* ---- a buffer that is not display-sized, an unknown format */
    CHECK(paneld_buffer_create(u, w1 + 1, h1, PANELD_FORMAT_XRGB8888, 1) == NULL && errno == EINVAL, "errno %d", errno);
    CHECK(paneld_buffer_create(u, w1, h1, 0x12345678u, 0) == NULL && errno == EINVAL, "errno %d", errno);

    /* ---- TCP (when PANELD_TCP=tcp:HOST:PORT is given): no fd passing, shared falls back to inline WRITE */
    const char *tcp = getenv("PANELD_TCP");
    if (tcp && *tcp) {
        paneld_client *t = paneld_connect(tcp);
        REQUIRE(t != NULL, "connect %s: %s", tcp, paneld_errmsg(NULL));
        CHECK(!paneld_can_share(t), "no fd passing over TCP");
        paneld_session *ts = paneld_open(t, "lcd0", PANELD_OPEN_OWNER);
        REQUIRE(ts != NULL && ts->owner, "open lcd0 over TCP: %s", paneld_errmsg(t));
        paneld_buffer *tb = paneld_buffer_create(ts, 320, 240, PANELD_FORMAT_XRGB8888, 1);
        REQUIRE(tb != NULL, "buffer over TCP: %s", paneld_errmsg(t));
        CHECK(tb->shared == 0, "a shared buffer over TCP falls back to inline");
        draw(tb, 10);
        memcpy(want, tb->pixels, 320 * 240 * 4);
        CHECK(paneld_flush(ts, tb, &full, 1) == 0, "flush over TCP: %s", paneld_errmsg(t));
        CHECK(differences(admin, "lcd0", 320, 240, want, "tcp") == 0, "the panel shows the TCP client's frame");
        draw(tb, 11);
        memcpy(want, tb->pixels, 320 * 240 * 4);
        CHECK(paneld_flip(ts, tb, 1) == 0, "flip over TCP: %s", paneld_errmsg(t));
        CHECK(differences(admin, "lcd0", 320, 240, want, "tcp flip") == 0, "the panel shows the TCP flip");
        paneld_disconnect(t);
        printf("paneld_test: TCP %s checked\n", tcp);
    }

    free(want);
    paneld_disconnect(c); /* closes u and ub */
    paneld_disconnect(admin);
    printf("paneld_test: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
