/*
 * libpaneld: the public API of paneld.h (connecting, sessions, buffers, flush and flip,
 * properties, events, admin, errors) on top of the wire in paneld_wire.c. One connection per
 * paneld_client; every request waits for its reply, events read meanwhile are queued. See
 * paneld.h for the contract and the threading rules, paneld_internal.h for what the two files share.
 */
#define _GNU_SOURCE 1
#include "paneld_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) || defined(__clang__)
static __thread char connect_msg[MSG_LEN];
static __thread int connect_err;
#else
static char connect_msg[MSG_LEN]; /* without thread-local storage: one message for all threads */
static int connect_err;
#endif

/* ------------------------------------------------------------------ errors */

int paneld__fail(paneld_client *c, int code, const char *fmt, ...) {
    va_list ap;
    char *dst = c ? c->msg : connect_msg;
    va_start(ap, fmt);
    vsnprintf(dst, MSG_LEN, fmt, ap);
    va_end(ap);
    if (c) {
        c->err = -code;
    } else {
        connect_err = -code;
    }
    return -code;
}

const char *paneld_errmsg(const paneld_client *c) {
    return c ? c->msg : connect_msg;
}

int paneld_errcode(const paneld_client *c) {
    return c ? c->err : connect_err;
}

const char *paneld_strerror(int code) {
    if (code < 0) {
        code = -code;
    }
    switch (code) {
    case 0: return "OK";
    case ENOENT: return "ENOENT: no such device or property";
    case EIO: return "EIO: hardware transfer failed";
    case EBADF: return "EBADF: unknown session or buffer handle";
    case ENOMEM: return "ENOMEM: out of buffer memory";
    case EACCES: return "EACCES: refused by policy";
    case EBUSY: return "EBUSY: another session owns the display, or a limit is reached";
    case ENODEV: return "ENODEV: the device is gone (unplugged or unbound)";
    case EINVAL: return "EINVAL: invalid argument";
    case EPROTO: return "EPROTO: protocol error (connection closed)";
    case EMSGSIZE: return "EMSGSIZE: frame too large (connection closed)";
    case EOPNOTSUPP: return "EOPNOTSUPP: not supported on this connection";
    case ETIMEDOUT: return "ETIMEDOUT: timed out";
    case ECONNRESET: return "ECONNRESET: paneld closed the connection";
    case ECONNREFUSED: return "ECONNREFUSED: no paneld listens there";
    default: return "error (see paneld_errmsg)";
    }
}

paneld_client *paneld_connect(const char *path) {
    char def[256];
    if (!path) {
        paneld__default_socket(def, sizeof def);
        path = def;
    }
    int tcp = 0;
    int fd = paneld__open_socket(path, &tcp);
    if (fd < 0) {
        errno = -fd;
        return NULL;
    }
    paneld_client *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        paneld__fail(NULL, ENOMEM, "out of memory");
        errno = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    c->tcp = tcp;
    c->next_id = 1;
    static const char name[] = "libpaneld " PANELD_VERSION;
    unsigned char p[14 + sizeof name - 1];
    put32(p, MAGIC);
    put16(p + 4, 1);
    put16(p + 6, 1);
    put32(p + 8, tcp ? 0 : 1); /* WANT_FD on a Unix socket */
    put16(p + 12, (uint16_t) (sizeof name - 1));
    memcpy(p + 14, name, sizeof name - 1);
    frame f;
    int e = paneld__request(c, T_HELLO, p, sizeof p, &f);
    if (e == 0) {
        cursor k = {f.p, f.n, 0, 0};
        uint16_t version = rd16(&k);
        rd16(&k);
        c->server_flags = rd32(&k);
        c->max_frame = rd32(&k);
        c->max_rects = rd32(&k);
        if (k.bad || version != 1) e = paneld__fail(c, EPROTO, "paneld's HELLO reply is short or names version %u", version);
    }
    if (e < 0) {
        paneld__fail(NULL, -e, "HELLO to %s: %s", path, c->msg);
        paneld_disconnect(c);
        errno = -e;
        return NULL;
    }
    if (c->max_frame < 64) c->max_frame = 64;
    return c;
}

static void free_buffer_memory(paneld_buffer *b) {
    if (b->shared) {
        if (b->pixels && b->size) munmap(b->pixels, b->size);
    } else {
        free(b->pixels);
    }
    free(b);
}

static void free_session(paneld_session *s) {
    paneld_buffer *b = s->buffers;
    while (b) {
        paneld_buffer *n = b->next;
        free_buffer_memory(b);
        b = n;
    }
    free(s);
}

void paneld_disconnect(paneld_client *c) {
    if (!c) return;
    paneld_session *s = c->sessions;
    while (s) {
        paneld_session *n = s->next;
        free_session(s);
        s = n;
    }
    if (c->fd >= 0) close(c->fd);
    free(c->payload);
    free(c->wbuf);
    free(c);
}

int paneld_fd(const paneld_client *c) { return c->fd; }
int paneld_can_share(const paneld_client *c) { return (c->server_flags & 1u) != 0; }
int paneld_is_admin(const paneld_client *c) { return (c->server_flags & 2u) != 0; }

/* ------------------------------------------------------------------ devices, sessions */

int paneld_list(paneld_client *c, paneld_device *out, int max) {
    frame f;
    int e = paneld__request(c, T_LIST, NULL, 0, &f);
    if (e < 0) return e;
    cursor k = {f.p, f.n, 0, 0};
    uint32_t count = rd32(&k);
    for (uint32_t i = 0; i < count && !k.bad; i++) {
        paneld_device d;
        rdstr(&k, d.name, sizeof d.name);
        rdstr(&k, d.driver, sizeof d.driver);
        d.width = rd32(&k);
        d.height = rd32(&k);
        d.flags = rd32(&k);
        if (out && (int) i < max && !k.bad) out[i] = d;
    }
    if (k.bad || count > 0x7FFFFFFF) return paneld__fail(c, EPROTO, "paneld's device list is short");
    return (int) count;
}

int paneld_device_info(paneld_client *c, const char *name, paneld_info *out) {
    size_t len = strlen(name);
    if (len > 0xFFFF) return paneld__fail(c, EINVAL, "device name of %zu bytes", len);
    unsigned char *p = paneld__scratch(c, 6 + len);
    if (!p) return paneld__fail(c, ENOMEM, "out of memory");
    put32(p, 0); /* by name */
    put16(p + 4, (uint16_t) len);
    memcpy(p + 6, name, len);
    frame f;
    int e = paneld__request(c, T_INFO, p, 6 + len, &f);
    if (e < 0) return e;
    paneld_info in;
    memset(&in, 0, sizeof in);
    cursor k = {f.p, f.n, 0, 0};
    rdstr(&k, in.name, sizeof in.name);
    rdstr(&k, in.driver, sizeof in.driver);
    in.width = rd32(&k);
    in.height = rd32(&k);
    in.width_mm = rd32(&k);
    in.height_mm = rd32(&k);
    in.rotation = rd32(&k);
    in.flags = rd32(&k);
    rdstr(&k, in.panel_format, sizeof in.panel_format);
    rdstr(&k, in.update_class, sizeof in.update_class);
    in.format_count = rd16(&k);
    for (int i = 0; i < in.format_count && !k.bad; i++) {
        uint32_t fmt = rd32(&k);
        if (i < 16) in.formats[i] = fmt;
    }
    in.property_count = rd16(&k);
    for (int i = 0; i < in.property_count && !k.bad; i++) {
        paneld_property pr;
        rdstr(&k, pr.name, sizeof pr.name);
        pr.min = (int64_t) rd64(&k);
        pr.max = (int64_t) rd64(&k);
        pr.value = (int64_t) rd64(&k);
        if (i < 16) in.properties[i] = pr;
    }
    if (k.bad) return paneld__fail(c, EPROTO, "paneld's DEVICE_INFO reply for %s is short", name);
    *out = in;
    return 0;
}

paneld_session *paneld_open(paneld_client *c, const char *name, unsigned flags) {
    if (!c) { /* paneld_open(paneld_connect(...), ...) after a failed connect: keep its errno and message */
        if (!errno) errno = ENOTCONN;
        return NULL;
    }
    size_t len = strlen(name);
    if (len > 0xFFFF) {
        errno = EINVAL;
        paneld__fail(c, EINVAL, "device name of %zu bytes", len);
        return NULL;
    }
    unsigned char *p = paneld__scratch(c, 6 + len);
    if (!p) {
        errno = ENOMEM;
        paneld__fail(c, ENOMEM, "out of memory");
        return NULL;
    }
    put32(p, flags & PANELD_OPEN_OWNER);
    put16(p + 4, (uint16_t) len);
    memcpy(p + 6, name, len);
    frame f;
    int e = paneld__request(c, T_OPEN, p, 6 + len, &f);
    if (e < 0) {
        errno = -e;
        return NULL;
    }
    cursor k = {f.p, f.n, 0, 0};
    uint32_t handle = rd32(&k), fl = rd32(&k), w = rd32(&k), h = rd32(&k);
    if (k.bad) {
        errno = EPROTO;
        paneld__fail(c, EPROTO, "paneld's OPEN reply is short");
        return NULL;
    }
    paneld_session *s = calloc(1, sizeof *s);
    if (!s) { /* the daemon has a session we cannot track: close it */
        paneld__request_u32(c, T_CLOSE, handle);
        errno = ENOMEM;
        paneld__fail(c, ENOMEM, "out of memory");
        return NULL;
    }
    s->client = c;
    s->handle = handle;
    s->owner = (fl & 1u) != 0;
    s->width = w;
    s->height = h;
    snprintf(s->device, sizeof s->device, "%s", name);
    s->next = c->sessions;
    c->sessions = s;
    return s;
}

int paneld_close(paneld_session *s) {
    paneld_client *c = s->client;
    int e = paneld__request_u32(c, T_CLOSE, s->handle);
    for (paneld_session **pp = &c->sessions; *pp; pp = &(*pp)->next) {
        if (*pp == s) {
            *pp = s->next;
            break;
        }
    }
    free_session(s);
    return e;
}

/* ------------------------------------------------------------------ buffers */

paneld_buffer *paneld_buffer_create(paneld_session *s, uint32_t width, uint32_t height, uint32_t format, int shared) {
    paneld_client *c = s->client;
    int share = shared && paneld_can_share(c);
    unsigned char p[20];
    put32(p, s->handle);
    put32(p + 4, width);
    put32(p + 8, height);
    put32(p + 12, format);
    put32(p + 16, share ? 1u : 0u);
    frame f;
    int e = paneld__request(c, T_CREATE, p, sizeof p, &f);
    if (e < 0) {
        errno = -e;
        return NULL;
    }
    cursor k = {f.p, f.n, 0, 0};
    uint32_t handle = rd32(&k), stride = rd32(&k);
    uint64_t size = rd64(&k);
    uint32_t fl = rd32(&k);
    if (k.bad || size > (uint64_t) SIZE_MAX || (share && !(fl & 1u))) {
        c->broken = 1;
        errno = EPROTO;
        paneld__fail(c, EPROTO, "paneld's CREATE_BUFFER reply is short or lacks FD_FOLLOWS");
        return NULL;
    }
    paneld_buffer *b = calloc(1, sizeof *b);
    void *mem = NULL;
    int err = 0;
    if (share) { /* the exchange must complete even when something fails here */
        int fd = -1;
        e = paneld__receive_fd(c, handle, &fd);
        if (e < 0) {
            free(b);
            errno = -e;
            return NULL;
        }
        mem = mmap(NULL, (size_t) size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (mem == MAP_FAILED) {
            err = errno;
            mem = NULL;
        }
        close(fd);
        unsigned char q[4];
        put32(q, handle);
        e = paneld__request(c, T_FD_RECEIVED, q, 4, NULL);
        if (e < 0 || !b) {
            if (mem) munmap(mem, (size_t) size);
            mem = NULL;
        }
        if (e < 0) {
            free(b);
            errno = -e;
            return NULL;
        }
    } else if (b) {
        mem = calloc(1, (size_t) size ? (size_t) size : 1);
        if (!mem) err = ENOMEM;
    }
    if (!b || !mem) {
        free(b);
        unsigned char q[8];
        put32(q, s->handle);
        put32(q + 4, handle);
        paneld__request(c, T_DESTROY, q, 8, NULL);
        err = err ? err : ENOMEM;
        paneld__fail(c, err, "%s of a %ux%u buffer: %s", share ? "mmap" : "allocation", width, height, strerror(err));
        errno = err;
        return NULL;
    }
    b->pixels = mem;
    b->width = width;
    b->height = height;
    b->stride = stride;
    b->format = format;
    b->size = (size_t) size;
    b->shared = share;
    b->handle = handle;
    b->session = s;
    b->next = s->buffers;
    s->buffers = b;
    return b;
}

int paneld_buffer_destroy(paneld_buffer *b) {
    paneld_session *s = b->session;
    unsigned char q[8];
    put32(q, s->handle);
    put32(q + 4, b->handle);
    int e = paneld__request(s->client, T_DESTROY, q, 8, NULL);
    for (paneld_buffer **pp = &s->buffers; *pp; pp = &(*pp)->next) {
        if (*pp == b) {
            *pp = b->next;
            break;
        }
    }
    free_buffer_memory(b);
    return e;
}

static int rect_inside(const paneld_buffer *b, const paneld_rect *r) {
    return r->width > 0 && r->height > 0 && r->x >= 0 && r->y >= 0 && (int64_t) r->x + r->width <= (int64_t) b->width
           && (int64_t) r->y + r->height <= (int64_t) b->height;
}

long paneld_flush_async(paneld_session *s, paneld_buffer *b, const paneld_rect *rects, int n) {
    paneld_client *c = s->client;
    if (n < 1 || (c->max_rects && (uint32_t) n > c->max_rects)) {
        return paneld__fail(c, EINVAL, "FLUSH of %d rectangles: 1..%u allowed", n, c->max_rects);
    }
    struct pending *p = NULL;
    for (int i = 0; i < PANELD_MAX_IN_FLIGHT && !p; i++) {
        if (!c->pending[i].used) p = &c->pending[i];
    }
    if (!p) return paneld__fail(c, EAGAIN, "%d flushes in flight already: paneld_wait for one first", PANELD_MAX_IN_FLIGHT);
    uint32_t first = 0;
    uint32_t writes = 0;
    if (!b->shared) { /* pipelined: every WRITE, then the FLUSH; answers come in that order */
        for (int i = 0; i < n; i++) {
            if (!rect_inside(b, &rects[i])) {
                return paneld__fail(c, EINVAL, "FLUSH rectangle %d %dx%d+%d+%d is outside the %ux%u buffer", i,
                                    rects[i].width, rects[i].height, rects[i].x, rects[i].y, b->width, b->height);
            }
        }
        for (int i = 0; i < n; i++) {
            uint32_t before = c->next_id;
            long id = paneld__write_rect(c, s, b, &rects[i], &first);
            if (id < 0) return (int) id; /* the connection broke: nothing more will come */
            writes += (uint32_t) id - before + 1;
        }
    }
    size_t len = 12 + (size_t) n * 16;
    unsigned char *q = paneld__scratch(c, len);
    if (!q) return paneld__fail(c, ENOMEM, "out of memory");
    put32(q, s->handle);
    put32(q + 4, b->handle);
    put32(q + 8, (uint32_t) n);
    for (int i = 0; i < n; i++) {
        put32(q + 12 + i * 16, (uint32_t) rects[i].x);
        put32(q + 16 + i * 16, (uint32_t) rects[i].y);
        put32(q + 20 + i * 16, (uint32_t) rects[i].width);
        put32(q + 24 + i * 16, (uint32_t) rects[i].height);
    }
    long fid = paneld__send_frame(c, T_FLUSH, q, len);
    if (fid < 0) return fid;
    p->first = first ? first : (uint32_t) fid;
    p->last = (uint32_t) fid;
    p->left = writes + 1;
    p->used = 1;
    p->result = 0;
    p->msg[0] = 0;
    return (long) p->first;
}

int paneld_wait(paneld_client *c, long ticket) {
    struct pending *p = NULL;
    for (int i = 0; i < PANELD_MAX_IN_FLIGHT && !p; i++) {
        if (c->pending[i].used && (long) c->pending[i].first == ticket) p = &c->pending[i];
    }
    if (!p) return paneld__fail(c, EINVAL, "no flush in flight with ticket %ld (already waited for?)", ticket);
    while (p->left > 0) {
        int e = paneld__pump(c);
        if (e < 0) {
            p->used = 0;
            return e;
        }
    }
    p->used = 0;
    if (p->result < 0) return paneld__fail(c, -p->result, "%s", p->msg);
    return 0;
}

int paneld_flush(paneld_session *s, paneld_buffer *b, const paneld_rect *rects, int n) {
    long t = paneld_flush_async(s, b, rects, n);
    return t < 0 ? (int) t : paneld_wait(s->client, t);
}

int paneld_flip(paneld_session *s, paneld_buffer *b, int wait) {
    paneld_client *c = s->client;
    if (!b->shared) {
        paneld_rect all = {0, 0, (int32_t) b->width, (int32_t) b->height};
        uint32_t first = 0;
        long last = paneld__write_rect(c, s, b, &all, &first);
        if (last < 0) return (int) last;
        frame f;
        for (uint32_t id = first;; id = id + 1 ? id + 1 : 1) {
            int e = paneld__wait_reply(c, id, T_WRITE, &f);
            if (e < 0) return e;
            if (id == (uint32_t) last) break;
        }
    }
    unsigned char p[8];
    put32(p, s->handle);
    put32(p + 4, b->handle);
    long id = paneld__send_frame(c, T_FLIP, p, 8);
    if (id < 0) return (int) id;
    frame f;
    int e = paneld__wait_reply(c, (uint32_t) id, T_FLIP, &f);
    if (e < 0 || !wait) return e;
    for (;;) { /* its FLIP_COMPLETE from the queue, reading more until it comes */
        paneld_event ev;
        if (paneld__take_flip_complete(c, (uint32_t) id, &ev)) {
            return ev.error ? paneld__fail(c, -ev.error, "FLIP of buffer %u failed: %s", b->handle,
                                           paneld_strerror(ev.error)) : 0;
        }
        e = paneld__pump(c);
        if (e < 0) return e;
    }
}

/* ------------------------------------------------------------------ properties, ownership, events */

int paneld_set_property(paneld_session *s, const char *name, int64_t value) {
    paneld_client *c = s->client;
    size_t len = strlen(name);
    if (len > 0xFFFF) return paneld__fail(c, EINVAL, "property name of %zu bytes", len);
    unsigned char *p = paneld__scratch(c, 14 + len);
    if (!p) return paneld__fail(c, ENOMEM, "out of memory");
    put32(p, s->handle);
    put64(p + 4, (uint64_t) value);
    put16(p + 12, (uint16_t) len);
    memcpy(p + 14, name, len);
    return paneld__request(c, T_SETPROP, p, 14 + len, NULL);
}

int paneld_acquire(paneld_session *s) {
    int e = paneld__request_u32(s->client, T_ACQUIRE, s->handle);
    if (e == 0) s->owner = 1;
    return e;
}

int paneld_release(paneld_session *s) {
    int e = paneld__request_u32(s->client, T_RELEASE, s->handle);
    if (e == 0) s->owner = 0;
    return e;
}

int paneld_subscribe(paneld_client *c, unsigned mask) {
    unsigned known = PANELD_SUB_DEVICE_ADDED | PANELD_SUB_DEVICE_REMOVED | PANELD_SUB_TOUCH | PANELD_SUB_TOUCH_OBSERVE;
    int e = paneld__request_u32(c, T_SUBSCRIBE, mask & known);
    if (e == 0 && (mask & (PANELD_SUB_TOUCH | PANELD_SUB_TOUCH_OBSERVE))) c->touch_abi = 1;
    return e;
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int paneld_next_event(paneld_client *c, paneld_event *ev, int timeout_ms) {
    long long end = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
    for (;;) {
        if (c->ev_count > 0) {
            /* a 1.0 program's paneld_event ends before touch: never write past it */
            memcpy(ev, &c->events[c->ev_head], c->touch_abi ? sizeof *ev : offsetof(paneld_event, touch));
            c->ev_head = (c->ev_head + 1) % EVENT_QUEUE;
            c->ev_count--;
            return 1;
        }
        if (c->broken) return paneld__fail(c, ECONNRESET, "the connection to paneld is closed: %s", c->msg);
        if (c->rpos == c->rlen) { /* nothing buffered: wait for the socket */
            int wait = timeout_ms < 0 ? -1 : timeout_ms == 0 ? 0 : (int) (end - now_ms());
            if (timeout_ms > 0 && wait <= 0) return 0;
            struct pollfd pfd = {c->fd, POLLIN, 0};
            int r = poll(&pfd, 1, wait);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return paneld__fail(c, errno, "poll: %s", strerror(errno));
            if (r == 0) return 0;
        }
        int e = paneld__pump(c);
        if (e < 0) return e;
    }
}

/* ------------------------------------------------------------------ admin */

int paneld_admin_unplug(paneld_client *c, const char *device) { return paneld__request_str(c, T_ADMIN_UNPLUG, device, NULL); }
int paneld_admin_replug(paneld_client *c, const char *device) { return paneld__request_str(c, T_ADMIN_REPLUG, device, NULL); }
int paneld_admin_unbind(paneld_client *c, const char *device) { return paneld__request_str(c, T_ADMIN_UNBIND, device, NULL); }
int paneld_admin_bind(paneld_client *c, const char *device) { return paneld__request_str(c, T_ADMIN_BIND, device, NULL); }

int paneld_admin_touch(paneld_client *c, const char *device, unsigned action, int32_t x, int32_t y) {
    if (!device) return paneld__fail(c, EINVAL, "ADMIN_TOUCH: no device named");
    if (action != PANELD_TOUCH_PRESS && action != PANELD_TOUCH_RELEASE) {
        return paneld__fail(c, EINVAL, "ADMIN_TOUCH on %s: action %u is unknown (PANELD_TOUCH_PRESS 0, PANELD_TOUCH_RELEASE 1)",
                            device, action);
    }
    if (action == PANELD_TOUCH_PRESS && (x < 0 || y < 0)) {
        return paneld__fail(c, EINVAL, "ADMIN_TOUCH on %s: press at (%d, %d) is outside the display", device, (int) x,
                            (int) y);
    }
    size_t len = strlen(device);
    if (len > 0xFFFF) return paneld__fail(c, EINVAL, "device name of %zu bytes is too long", len);
    unsigned char *p = paneld__scratch(c, 14 + len);
    if (!p) return paneld__fail(c, ENOMEM, "out of memory");
    put16(p, (uint16_t) len);
    memcpy(p + 2, device, len);
    put32(p + 2 + len, action);
    put32(p + 6 + len, action == PANELD_TOUCH_PRESS ? (uint32_t) x : 0u);
    put32(p + 10 + len, action == PANELD_TOUCH_PRESS ? (uint32_t) y : 0u);
    return paneld__request(c, T_ADMIN_TOUCH, p, 14 + len, NULL);
}

int paneld_admin_calibrate(paneld_client *c, const char *device, const int64_t cal[7]) {
    if (!device || !cal) {
        return paneld__fail(c, EINVAL, "ADMIN_CALIBRATE: %s is NULL", device ? "the calibration" : "the device");
    }
    if (cal[6] <= 0) {
        return paneld__fail(c, EINVAL, "ADMIN_CALIBRATE on %s: scale (cal[6]) must be positive, got %lld", device,
                            (long long) cal[6]);
    }
    size_t len = strlen(device);
    if (len > 0xFFFF) return paneld__fail(c, EINVAL, "device name of %zu bytes is too long", len);
    unsigned char *p = paneld__scratch(c, 2 + len + 56);
    if (!p) return paneld__fail(c, ENOMEM, "out of memory");
    put16(p, (uint16_t) len);
    memcpy(p + 2, device, len);
    for (int i = 0; i < 7; i++) put64(p + 2 + len + 8 * (size_t) i, (uint64_t) cal[i]);
    return paneld__request(c, T_ADMIN_CALIBRATE, p, 2 + len + 56, NULL);
}

int paneld_snapshot(paneld_client *c, const char *device, uint32_t **pixels, uint32_t *width, uint32_t *height) {
    frame f;
    int e = paneld__request_str(c, T_ADMIN_SNAPSHOT, device, &f);
    if (e < 0) return e;
    cursor k = {f.p, f.n, 0, 0};
    uint32_t w = rd32(&k), h = rd32(&k);
    if (k.bad || (uint64_t) w * h * 4 != f.n - 8) {
        paneld__release_payload(c);
        return paneld__fail(c, EPROTO, "paneld's snapshot of %s is %zu bytes for %ux%u", device, f.n, w, h);
    }
    uint32_t *px = malloc((size_t) w * h * 4 + 1);
    if (!px) {
        paneld__release_payload(c);
        return paneld__fail(c, ENOMEM, "out of memory for a %ux%u snapshot", w, h);
    }
    for (size_t i = 0; i < (size_t) w * h; i++) px[i] = get32(f.p + 8 + i * 4);
    paneld__release_payload(c);
    *pixels = px;
    *width = w;
    *height = h;
    return 0;
}
