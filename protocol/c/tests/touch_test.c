/*
 * libpaneld's touch support (PROTOCOL.md section 15), in two parts:
 *
 * 1. Against a scripted fake paneld (a forked child on a socket in /tmp): a TOUCH for an unknown
 *    session and of an unknown kind is delivered with session NULL and its fields exact (signed
 *    coordinates too), a longer payload is read as far as known, an unknown event type is
 *    skipped, a short TOUCH is EPROTO with a message naming it; a program that never subscribed
 *    to touch gets no byte written into paneld_event.touch (the 1.0 ABI).
 * 2. Against a running paneld (PANELD_SOCKET or argv[1]) whose "lcd0" (320x240) has an emulated
 *    ADS7846 with CClientIT's calibration (TouchChipCtlIT's: [0, 5697, -1196265, -4425, 0,
 *    16902020, 65536], noise on) and whose "lcd1" has no touch; admin rights needed. Taps through
 *    ADMIN_TOUCH arrive as DOWN ... UP within 2 pixels; nothing without subscribing; SUB_TOUCH is
 *    the owner's, SUB_TOUCH_OBSERVE reaches a session that does not own the display; a new
 *    calibration moves the touches and a bad one is EINVAL; the TOUCH device flag;
 *    examples/touch_print (argv[2], optional) prints a tap.
 *
 *     touch_test SOCKET [TOUCH_PRINT]
 */
#define _POSIX_C_SOURCE 200809L
#include "paneld.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* the calibration of lcd0's touch in CClientIT's config */
static const int64_t CAL[7] = {0, 5697, -1196265, -4425, 0, 16902020, 65536};
#define NEAR 2 /* pixels: the emulator's noise after the driver's filter and the fit's rounding */

/* ------------------------------------------------------------------ part 1: a scripted fake paneld */

static void put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char) v; p[1] = (unsigned char) (v >> 8); }
static void put32(unsigned char *p, uint32_t v) { put16(p, (uint16_t) v); put16(p + 2, (uint16_t) (v >> 16)); }
static void put64(unsigned char *p, uint64_t v) { put32(p, (uint32_t) v); put32(p + 4, (uint32_t) (v >> 32)); }
static uint32_t get32(const unsigned char *p) { return (uint32_t) (p[0] | p[1] << 8 | p[2] << 16 | (uint32_t) p[3] << 24); }

static int write_all(int fd, const unsigned char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t) w;
    }
    return 0;
}

static int send_frame(int fd, uint16_t type, uint32_t id, const unsigned char *p, size_t n) {
    unsigned char f[512];
    put32(f, (uint32_t) (8 + n));
    put16(f + 4, type);
    put16(f + 6, 0);
    put32(f + 8, id);
    memcpy(f + 12, p, n);
    return write_all(fd, f, 12 + n);
}

/* reads one frame; returns its id (type in *type), or -1 at the end of the stream */
static long read_frame(int fd, uint16_t *type) {
    unsigned char h[12], body[4096];
    size_t got = 0;
    while (got < 12) {
        ssize_t r = read(fd, h + got, 12 - got);
        if (r <= 0) return -1;
        got += (size_t) r;
    }
    size_t n = get32(h) - 8;
    if (n > sizeof body) return -1;
    for (got = 0; got < n;) {
        ssize_t r = read(fd, body + got, n - got);
        if (r <= 0) return -1;
        got += (size_t) r;
    }
    *type = (uint16_t) (h[4] | h[5] << 8);
    return (long) get32(h + 8);
}

static size_t touch_payload(unsigned char *p, uint32_t session, uint16_t kind, int32_t x, int32_t y, uint64_t t) {
    put32(p, session);
    put16(p + 4, kind);
    put16(p + 6, 1);                     /* slot */
    put32(p + 8, (uint32_t) x);
    put32(p + 12, (uint32_t) y);
    put32(p + 16, (uint32_t) 4000);      /* raw_x */
    put32(p + 20, (uint32_t) (int32_t) -7); /* raw_y */
    put16(p + 24, 255);                  /* pressure */
    put16(p + 26, 3);                    /* flags OWNER | DROPPED */
    put64(p + 28, t);
    return 36;
}

/* the child: HELLO, a DEVICE_ADDED, then after SUBSCRIBE the touch events of the script */
static void fake_daemon(int lfd) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) _exit(2);
    unsigned char p[128];
    uint16_t type = 0;
    long id = read_frame(fd, &type);
    if (id < 0 || type != 0x0001) _exit(3);
    memset(p, 0, sizeof p);
    put16(p, 1);
    put32(p + 4, 0);     /* flags: no fd passing, no admin */
    put32(p + 8, 65536); /* max_frame */
    put32(p + 12, 16);   /* max_rects */
    size_t n = 16 + 8 + 4 + 4 + 8;
    put16(p + n, 4);
    memcpy(p + n + 2, "fake", 4);
    if (send_frame(fd, 0x8001, (uint32_t) id, p, n + 6) < 0) _exit(4);
    put16(p, 3);
    memcpy(p + 2, "tp9", 3);
    send_frame(fd, 0x4001, 0, p, 5); /* DEVICE_ADDED "tp9": the client has not subscribed to touch yet */
    id = read_frame(fd, &type);
    if (id < 0 || type != 0x000C) _exit(5);
    send_frame(fd, 0x800C, (uint32_t) id, p, 0);
    n = touch_payload(p, 77, 9, -5, 70000, 0x123456789ULL); /* unknown session, unknown kind */
    send_frame(fd, 0x4007, 0, p, n);
    n = touch_payload(p, 78, 1, 3, 4, 5);
    memset(p + n, 0xEE, 8); /* eight bytes of a newer paneld's fields */
    send_frame(fd, 0x4007, 0, p, n + 8);
    send_frame(fd, 0x4099, 0, p, 3);       /* an event type this library does not know */
    send_frame(fd, 0x4007, 0, p, 20);      /* short */
    while (read_frame(fd, &type) >= 0) {
    }
    close(fd);
    _exit(0);
}

static void fake_checks(void) {
    char path[108];
    snprintf(path, sizeof path, "/tmp/paneld-touch-fake-%ld.sock", (long) getpid());
    unlink(path);
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    int listening = lfd >= 0 && bind(lfd, (struct sockaddr *) &sa, sizeof sa) == 0 && listen(lfd, 1) == 0;
    REQUIRE(listening, "fake daemon at %s: %s", path, strerror(errno));
    pid_t child = fork();
    REQUIRE(child >= 0, "fork");
    if (child == 0) fake_daemon(lfd);
    close(lfd);
    paneld_client *c = paneld_connect(path);
    unlink(path);
    REQUIRE(c != NULL, "connect to the fake daemon: %s", paneld_errmsg(NULL));

    /* never subscribed to touch: the event is copied without its touch member (a 1.0 program's struct ends there) */
    paneld_event ev;
    memset(&ev, 0xA5, sizeof ev);
    CHECK(paneld_next_event(c, &ev, 5000) == 1 && ev.type == PANELD_EV_DEVICE_ADDED && strcmp(ev.text, "tp9") == 0,
          "DEVICE_ADDED: %s", paneld_errmsg(c));
    const unsigned char *tail = (const unsigned char *) &ev + offsetof(paneld_event, touch);
    int untouched = 1;
    for (size_t i = 0; i < sizeof ev.touch; i++) untouched &= tail[i] == 0xA5;
    CHECK(untouched, "paneld_next_event wrote into paneld_event.touch before the program subscribed to touch");

    CHECK(paneld_subscribe(c, PANELD_SUB_TOUCH) == 0, "subscribe: %s", paneld_errmsg(c));
    memset(&ev, 0, sizeof ev);
    CHECK(paneld_next_event(c, &ev, 5000) == 1 && ev.type == PANELD_EV_TOUCH, "TOUCH: %s", paneld_errmsg(c));
    CHECK(ev.session == NULL && ev.session_handle == 77, "unknown session: %p %u", (void *) ev.session, ev.session_handle);
    CHECK(ev.touch.kind == 9 && ev.touch.slot == 1 && ev.touch.x == -5 && ev.touch.y == 70000 && ev.touch.raw_x == 4000
          && ev.touch.raw_y == -7 && ev.touch.pressure == 255 && ev.touch.flags == (PANELD_TOUCH_OWNER | PANELD_TOUCH_DROPPED)
          && ev.touch.timestamp_us == 0x123456789ULL,
          "fields kind %d slot %u x %d y %d raw %d,%d p %u flags %u t %llu", ev.touch.kind, ev.touch.slot, (int) ev.touch.x,
          (int) ev.touch.y, (int) ev.touch.raw_x, (int) ev.touch.raw_y, ev.touch.pressure, ev.touch.flags,
          (unsigned long long) ev.touch.timestamp_us);
    CHECK(paneld_next_event(c, &ev, 5000) == 1 && ev.type == PANELD_EV_TOUCH && ev.session_handle == 78
          && ev.touch.kind == PANELD_TOUCH_MOVE && ev.touch.x == 3 && ev.touch.timestamp_us == 5,
          "a longer TOUCH payload: %s", paneld_errmsg(c));
    int r = paneld_next_event(c, &ev, 5000); /* the unknown type is skipped; the short TOUCH is a protocol error */
    CHECK(r == -EPROTO && strstr(paneld_errmsg(c), "short TOUCH") && strstr(paneld_errmsg(c), "20 bytes"), "got %d: '%s'", r,
          paneld_errmsg(c));
    CHECK(paneld_next_event(c, &ev, 0) == -ECONNRESET, "the connection is closed after a protocol error");
    paneld_disconnect(c);
    int status = -1;
    waitpid(child, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "fake daemon status %d", status);
}

/* ------------------------------------------------------------------ part 2: a real paneld */

static uint64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t) t.tv_sec * 1000000u + (uint64_t) t.tv_nsec / 1000u;
}

static int near(const paneld_event *ev, int x, int y) {
    return abs((int) ev->touch.x - x) <= NEAR && abs((int) ev->touch.y - y) <= NEAR;
}

/* the next TOUCH event on c (other events skipped); 1, or 0 after 5 s, or a negative errno */
static int next_touch(paneld_client *c, paneld_event *ev) {
    for (int i = 0; i < 1000; i++) {
        int r = paneld_next_event(c, ev, 5000);
        if (r <= 0) return r;
        if (ev->type == PANELD_EV_TOUCH) return 1;
    }
    return 0;
}

/*
 * A tap at (x, y) through ADMIN_TOUCH, followed on c (subscribed): the first TOUCH must be the
 * DOWN near (x, y) for session s, MOVEs (the chip's noise) stay near, then the UP. *down gets the DOWN.
 */
static void tap(paneld_client *admin, paneld_client *c, paneld_session *s, int x, int y, uint32_t flags, paneld_event *down,
                const char *what) {
    paneld_event ev;
    uint64_t t0 = now_us();
    CHECK(paneld_admin_touch(admin, "lcd0", PANELD_TOUCH_PRESS, x, y) == 0, "%s: press: %s", what, paneld_errmsg(admin));
    int r = next_touch(c, &ev);
    CHECK(r == 1 && ev.touch.kind == PANELD_TOUCH_DOWN, "%s: DOWN: r %d kind %d (%s)", what, r, ev.touch.kind, paneld_errmsg(c));
    CHECK(near(&ev, x, y), "%s: DOWN at %d,%d, want %d,%d", what, (int) ev.touch.x, (int) ev.touch.y, x, y);
    CHECK(ev.session == s && ev.session_handle == s->handle && ev.touch.slot == 0, "%s: session %p slot %u", what,
          (void *) ev.session, ev.touch.slot);
    CHECK(ev.touch.flags == flags, "%s: flags %u, want %u", what, ev.touch.flags, flags);
    CHECK(ev.touch.pressure <= 255 && ev.touch.timestamp_us + 1000 >= t0 && ev.touch.timestamp_us <= now_us() + 1000,
          "%s: pressure %u, t_us %llu not within [%llu, now]", what, ev.touch.pressure,
          (unsigned long long) ev.touch.timestamp_us, (unsigned long long) t0);
    *down = ev;
    CHECK(paneld_admin_touch(admin, "lcd0", PANELD_TOUCH_RELEASE, 0, 0) == 0, "%s: release: %s", what, paneld_errmsg(admin));
    for (;;) {
        r = next_touch(c, &ev);
        if (r != 1 || ev.touch.kind != PANELD_TOUCH_MOVE) break;
        CHECK(near(&ev, x, y), "%s: MOVE at %d,%d, want %d,%d", what, (int) ev.touch.x, (int) ev.touch.y, x, y);
    }
    CHECK(r == 1 && ev.touch.kind == PANELD_TOUCH_UP && ev.session == s && near(&ev, x, y), "%s: UP: r %d kind %d at %d,%d (%s)",
          what, r, ev.touch.kind, (int) ev.touch.x, (int) ev.touch.y, paneld_errmsg(c));
}

/* the DOWN..UP of a tap another client caused, read on c */
static void drain_tap(paneld_client *c, paneld_session *s, int x, int y, const char *what) {
    paneld_event ev;
    int r = next_touch(c, &ev);
    CHECK(r == 1 && ev.touch.kind == PANELD_TOUCH_DOWN && ev.session == s && near(&ev, x, y),
          "%s: first TOUCH: r %d kind %d at %d,%d, want DOWN at %d,%d", what, r, ev.touch.kind, (int) ev.touch.x,
          (int) ev.touch.y, x, y);
    while (r == 1 && ev.touch.kind != PANELD_TOUCH_UP) r = next_touch(c, &ev);
    CHECK(r == 1, "%s: no UP (%s)", what, paneld_errmsg(c));
}

static void touch_print_checks(paneld_client *admin, paneld_client *o, paneld_session *os, const char *sock, const char *prog) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' --socket '%s' --count 2 lcd0", prog, sock);
    FILE *p = popen(cmd, "r");
    REQUIRE(p != NULL, "popen %s", cmd);
    char line[512];
    CHECK(fgets(line, sizeof line, p) && strncmp(line, "watching lcd0 (320x240)", 23) == 0, "touch_print: '%s'", line);
    paneld_event d;
    tap(admin, o, os, 60, 50, PANELD_TOUCH_OWNER, &d, "owner's tap during touch_print"); /* waits for the DOWN before lifting */
    int down = 0, up = 0, x = -1, y = -1;
    while (fgets(line, sizeof line, p)) { /* a MOVE may come between: --count 2 may end before the UP */
        if (sscanf(line, "down x=%d y=%d", &x, &y) == 2) down = abs(x - 60) <= NEAR && abs(y - 50) <= NEAR;
        up |= strncmp(line, "up ", 3) == 0 || strncmp(line, "move ", 5) == 0;
        CHECK(strstr(line, " owner") == NULL, "touch_print observes: '%s'", line);
    }
    CHECK(pclose(p) == 0, "touch_print exit status");
    CHECK(down && up, "touch_print printed DOWN at %d,%d (want 60,50) and then %s", x, y, up ? "more" : "nothing");
}

int main(int argc, char **argv) {
    signal(SIGPIPE, SIG_IGN);
    fake_checks();
    const char *sock = argc > 1 ? argv[1] : getenv("PANELD_SOCKET");
    REQUIRE(sock && *sock, "give the socket as argument or in PANELD_SOCKET");

    paneld_client *admin = paneld_connect(sock);
    REQUIRE(admin != NULL, "connect: %s", paneld_errmsg(NULL));
    REQUIRE(paneld_is_admin(admin), "the test needs admin rights (run as root or paneld's uid)");

    /* ---- the TOUCH flag: lcd0 has a touch controller, lcd1 none */
    paneld_device devs[8];
    int n = paneld_list(admin, devs, 8);
    int f0 = -1, f1 = -1;
    for (int i = 0; i < n && i < 8; i++) {
        if (strcmp(devs[i].name, "lcd0") == 0) f0 = (int) devs[i].flags;
        if (strcmp(devs[i].name, "lcd1") == 0) f1 = (int) devs[i].flags;
    }
    REQUIRE(f0 >= 0 && f1 >= 0, "lcd0 and lcd1 must be listed");
    REQUIRE(f0 & PANELD_DEVICE_TOUCH, "lcd0 needs a touch controller ([panel.touch] driver = \"ads7846\", calibration as CClientIT's)");
    CHECK(!(f1 & PANELD_DEVICE_TOUCH), "lcd1 has no touch: flags %d", f1);
    paneld_info info;
    CHECK(paneld_device_info(admin, "lcd0", &info) == 0 && (info.flags & PANELD_DEVICE_TOUCH), "DEVICE_INFO flags %u", info.flags);
    CHECK(paneld_admin_calibrate(admin, "lcd0", CAL) == 0, "the test's calibration: %s", paneld_errmsg(admin));

    /* ---- o owns lcd0 and has not subscribed; w has a session that does not own it and observes */
    paneld_client *o = paneld_connect(sock);
    paneld_client *w = paneld_connect(sock);
    REQUIRE(o && w, "connect: %s", paneld_errmsg(NULL));
    paneld_session *os = paneld_open(o, "lcd0", PANELD_OPEN_OWNER);
    REQUIRE(os != NULL && os->owner, "open lcd0 as owner: %s", paneld_errmsg(o));
    paneld_session *ws = paneld_open(w, "lcd0", 0);
    REQUIRE(ws != NULL && !ws->owner, "open lcd0: %s", paneld_errmsg(w));
    CHECK(paneld_subscribe(w, PANELD_SUB_TOUCH_OBSERVE) == 0, "observe: %s", paneld_errmsg(w));
    paneld_event down;
    memset(&down, 0, sizeof down);
    tap(admin, w, ws, 100, 120, 0, &down, "observed tap");
    paneld_event raw1 = down;

    /* ---- o subscribes now: its first TOUCH is the second tap's DOWN (none of the first tap came) */
    CHECK(paneld_subscribe(o, PANELD_SUB_TOUCH) == 0, "subscribe: %s", paneld_errmsg(o));
    tap(admin, o, os, 250, 40, PANELD_TOUCH_OWNER, &down, "owner's tap");
    drain_tap(w, ws, 250, 40, "observer of the owner's tap");

    /* ---- SUB_TOUCH alone gives a session that does not own the display nothing */
    CHECK(paneld_subscribe(w, PANELD_SUB_TOUCH) == 0, "subscribe: %s", paneld_errmsg(w));
    tap(admin, o, os, 30, 200, PANELD_TOUCH_OWNER, &down, "tap w does not observe");
    CHECK(paneld_subscribe(w, PANELD_SUB_TOUCH_OBSERVE) == 0, "observe again: %s", paneld_errmsg(w));
    tap(admin, o, os, 160, 100, PANELD_TOUCH_OWNER, &down, "tap w observes again");
    drain_tap(w, ws, 160, 100, "observer's first TOUCH after SUB_TOUCH alone");

    /* ---- calibration: x shifted by 20 pixels; the reported x follows the formula from the raw sample */
    int64_t shifted[7];
    memcpy(shifted, CAL, sizeof shifted);
    shifted[2] += 20 * 65536;
    CHECK(paneld_admin_calibrate(admin, "lcd0", shifted) == 0, "calibrate: %s", paneld_errmsg(admin));
    paneld_event ev;
    CHECK(paneld_admin_touch(admin, "lcd0", PANELD_TOUCH_PRESS, 100, 120) == 0, "press: %s", paneld_errmsg(admin));
    CHECK(next_touch(o, &ev) == 1 && ev.touch.kind == PANELD_TOUCH_DOWN && near(&ev, 120, 120),
          "after calibration a touch at 100,120 is reported at %d,%d, want 120,120", (int) ev.touch.x, (int) ev.touch.y);
    double fx = (double) (shifted[0] * ev.touch.raw_x + shifted[1] * ev.touch.raw_y + shifted[2]) / (double) shifted[6];
    double fy = (double) (shifted[3] * ev.touch.raw_x + shifted[4] * ev.touch.raw_y + shifted[5]) / (double) shifted[6];
    CHECK(abs((int) ev.touch.x - (int) (fx + 0.5)) <= 1 && abs((int) ev.touch.y - (int) (fy + 0.5)) <= 1,
          "x, y %d,%d are the calibration of raw %d,%d (%.1f, %.1f)", (int) ev.touch.x, (int) ev.touch.y, (int) ev.touch.raw_x,
          (int) ev.touch.raw_y, fx, fy);
    CHECK(abs((int) ev.touch.raw_x - (int) raw1.touch.raw_x) < 100 && abs((int) ev.touch.raw_y - (int) raw1.touch.raw_y) < 100,
          "the same place gives the same raw sample: %d,%d and %d,%d", (int) ev.touch.raw_x, (int) ev.touch.raw_y,
          (int) raw1.touch.raw_x, (int) raw1.touch.raw_y);
    CHECK(paneld_admin_touch(admin, "lcd0", PANELD_TOUCH_RELEASE, 0, 0) == 0, "release: %s", paneld_errmsg(admin));
    while (next_touch(o, &ev) == 1 && ev.touch.kind != PANELD_TOUCH_UP) {
    }
    CHECK(ev.touch.kind == PANELD_TOUCH_UP, "UP after calibration");
    drain_tap(w, ws, 120, 120, "observer after calibration");

    /* ---- bad calibrations and touches: EINVAL (before sending, or paneld's), EOPNOTSUPP, ENOENT */
    int64_t bad[7] = {0, 5697, 0, -4425, 0, 0, 0};
    int e = paneld_admin_calibrate(admin, "lcd0", bad);
    CHECK(e == -EINVAL && strstr(paneld_errmsg(admin), "scale"), "scale 0: %d '%s'", e, paneld_errmsg(admin));
    int64_t line[7] = {1, 2, 0, 2, 4, 0, 65536}; /* a*e - b*d = 0 */
    e = paneld_admin_calibrate(admin, "lcd0", line);
    CHECK(e == -EINVAL && strstr(paneld_errmsg(admin), "one line"), "singular: %d '%s'", e, paneld_errmsg(admin));
    CHECK(paneld_admin_calibrate(admin, "lcd0", NULL) == -EINVAL, "NULL calibration");
    e = paneld_admin_calibrate(admin, "lcd1", CAL);
    CHECK(e == -EOPNOTSUPP && strstr(paneld_errmsg(admin), "lcd1"), "lcd1: %d '%s'", e, paneld_errmsg(admin));
    CHECK(paneld_admin_calibrate(admin, "no-such-panel", CAL) == -ENOENT, "unknown panel: %s", paneld_errmsg(admin));
    e = paneld_admin_touch(admin, "lcd0", 7, 1, 1);
    CHECK(e == -EINVAL && strstr(paneld_errmsg(admin), "action 7"), "action 7: %d '%s'", e, paneld_errmsg(admin));
    CHECK(paneld_admin_touch(admin, "lcd0", PANELD_TOUCH_PRESS, -1, 0) == -EINVAL, "negative x");
    e = paneld_admin_touch(admin, "lcd0", PANELD_TOUCH_PRESS, 320, 0);
    CHECK(e == -EINVAL && strstr(paneld_errmsg(admin), "outside"), "x = width: %d '%s'", e, paneld_errmsg(admin));
    e = paneld_admin_touch(admin, "lcd1", PANELD_TOUCH_PRESS, 1, 1);
    CHECK(e == -EOPNOTSUPP, "lcd1 has no touch: %d '%s'", e, paneld_errmsg(admin));
    CHECK(paneld_admin_calibrate(admin, "lcd0", CAL) == 0, "restore: %s", paneld_errmsg(admin));
    CHECK(paneld_list(admin, NULL, 0) == n, "the admin connection still works");

    /* ---- examples/touch_print observes a tap while o owns lcd0 */
    paneld_disconnect(w);
    if (argc > 2) {
        touch_print_checks(admin, o, os, sock, argv[2]);
        printf("touch_test: touch_print checked\n");
    }
    paneld_disconnect(o);
    paneld_disconnect(admin);
    printf("touch_test: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
