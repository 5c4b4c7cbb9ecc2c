/*
 * libpaneld's wire (PROTOCOL.md, version 1): framing, sending requests and matching their
 * replies, decoding events into the client's queue, the fd exchange of shared buffers, WRITE
 * encoding and opening the socket. The public API on top of it is in paneld.c; what both share
 * is in paneld_internal.h. Nothing here is exported from libpaneld.so.
 */
#define _GNU_SOURCE 1
#include "paneld_internal.h"

#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif
#ifndef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC 0
#endif

/* ------------------------------------------------------------------ writing */

unsigned char *paneld__scratch(paneld_client *c, size_t n) {
    if (n > c->wbuf_cap) {
        size_t cap = n < 4096 ? 4096 : n;
        unsigned char *p = realloc(c->wbuf, cap);
        if (!p) return NULL;
        c->wbuf = p;
        c->wbuf_cap = cap;
    }
    return c->wbuf;
}

static int send_all(paneld_client *c, const struct iovec *iov0, int iovcnt) {
    struct iovec iov[4];
    memcpy(iov, iov0, sizeof(struct iovec) * (size_t) iovcnt);
    int i = 0;
    while (i < iovcnt) {
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = iov + i;
        m.msg_iovlen = (size_t) (iovcnt - i);
        ssize_t w = sendmsg(c->fd, &m, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            c->broken = 1;
            return paneld__fail(c, e == EPIPE ? ECONNRESET : e, "writing to paneld: %s", strerror(e));
        }
        size_t left = (size_t) w;
        while (i < iovcnt && left >= iov[i].iov_len) {
            left -= iov[i].iov_len;
            i++;
        }
        if (i < iovcnt) {
            iov[i].iov_base = (char *) iov[i].iov_base + left;
            iov[i].iov_len -= left;
        }
    }
    return 0;
}

/* sends one frame (payload in up to two pieces); returns its id, or a negative errno */
static long send_frame2(paneld_client *c, uint16_t type, const void *p1, size_t n1, const void *p2, size_t n2) {
    if (c->broken) return paneld__fail(c, ECONNRESET, "the connection to paneld is closed: %s", c->msg);
    unsigned char h[12];
    uint32_t id = c->next_id++;
    if (c->next_id == 0) c->next_id = 1;
    put32(h, (uint32_t) (8 + n1 + n2));
    put16(h + 4, type);
    put16(h + 6, 0);
    put32(h + 8, id);
    struct iovec iov[3] = {{h, 12}, {(void *) p1, n1}, {(void *) p2, n2}};
    int r = send_all(c, iov, n2 ? 3 : (n1 ? 2 : 1));
    return r < 0 ? r : (long) id;
}

long paneld__send_frame(paneld_client *c, uint16_t type, const void *p, size_t n) {
    return send_frame2(c, type, p, n, NULL, 0);
}

/* ------------------------------------------------------------------ reading */

static int fill(paneld_client *c) {
    if (c->rpos == c->rlen) c->rpos = c->rlen = 0;
    for (;;) {
        ssize_t r = recv(c->fd, c->rbuf + c->rlen, sizeof c->rbuf - c->rlen, 0);
        if (r > 0) { c->rlen += (size_t) r; return 0; }
        if (r < 0 && errno == EINTR) continue;
        int e = r == 0 ? ECONNRESET : errno;
        c->broken = 1;
        if (r == 0) return paneld__fail(c, ECONNRESET, "paneld closed the connection");
        return paneld__fail(c, e, "reading from paneld: %s", strerror(e));
    }
}

static int read_exact(paneld_client *c, unsigned char *dst, size_t n) {
    while (n > 0) {
        if (c->rpos == c->rlen) {
            if (n >= sizeof c->rbuf) { /* large payloads straight into place */
                ssize_t r = recv(c->fd, dst, n, 0);
                if (r > 0) { dst += r; n -= (size_t) r; continue; }
                if (r < 0 && errno == EINTR) continue;
                c->broken = 1;
                if (r == 0) return paneld__fail(c, ECONNRESET, "paneld closed the connection in the middle of a frame");
                return paneld__fail(c, errno, "reading from paneld: %s", strerror(errno));
            }
            int e = fill(c);
            if (e < 0) return e;
        }
        size_t m = c->rlen - c->rpos < n ? c->rlen - c->rpos : n;
        memcpy(dst, c->rbuf + c->rpos, m);
        c->rpos += m;
        dst += m;
        n -= m;
    }
    return 0;
}

void paneld__release_payload(paneld_client *c) {
    if (c->payload_cap > (1u << 20)) { /* a snapshot: do not keep megabytes around */
        free(c->payload);
        c->payload = NULL;
        c->payload_cap = 0;
    }
}

static int read_frame(paneld_client *c, frame *f) {
    unsigned char h[12];
    if (c->broken) return paneld__fail(c, ECONNRESET, "the connection to paneld is closed: %s", c->msg);
    int e = read_exact(c, h, 12);
    if (e < 0) return e;
    uint32_t len = get32(h);
    if (len < 8 || len > SERVER_MAX_FRAME) {
        c->broken = 1;
        return paneld__fail(c, EPROTO, "paneld sent a frame of length %u (type 0x%04x): out of step", len, get16(h + 4));
    }
    size_t n = len - 8;
    if (n > c->payload_cap) {
        unsigned char *p = realloc(c->payload, n);
        if (!p) {
            c->broken = 1;
            return paneld__fail(c, ENOMEM, "no memory for a frame of %zu bytes", n);
        }
        c->payload = p;
        c->payload_cap = n;
    }
    e = read_exact(c, c->payload, n);
    if (e < 0) return e;
    f->type = get16(h + 4);
    f->id = get32(h + 8);
    f->p = c->payload;
    f->n = n;
    return 0;
}

static paneld_session *find_session(paneld_client *c, uint32_t handle) {
    for (paneld_session *s = c->sessions; s; s = s->next) {
        if (s->handle == handle) return s;
    }
    return NULL;
}

static int errno_of(uint32_t code) {
    switch (code) {
    case 2: return ENOENT; case 5: return EIO; case 9: return EBADF; case 12: return ENOMEM;
    case 13: return EACCES; case 16: return EBUSY; case 19: return ENODEV; case 22: return EINVAL;
    case 71: return EPROTO; case 90: return EMSGSIZE; case 95: return EOPNOTSUPP; case 110: return ETIMEDOUT;
    default: return EIO; /* unknown codes are EIO (PROTOCOL.md section 3) */
    }
}

/* an ERROR frame's payload: its message into msg, its code as a positive errno */
static int error_of(const frame *f, char *msg, size_t cap) {
    cursor k = {f->p, f->n, 0, 0};
    uint32_t code = rd32(&k);
    rd16(&k);
    rd16(&k);
    rdstr(&k, msg, cap);
    return errno_of(code);
}

/* an id-0 frame: an event, or a connection-level ERROR */
static int take_event(paneld_client *c, const frame *f) {
    cursor k = {f->p, f->n, 0, 0};
    if (f->type == T_ERROR) {
        char m[200];
        int e = error_of(f, m, sizeof m);
        if (e == EPROTO || e == EMSGSIZE || e == ETIMEDOUT || e == ENOMEM || e == EBUSY) c->broken = 1;
        return paneld__fail(c, e, "paneld: %s", m);
    }
    paneld_event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = f->type;
    switch (f->type) {
    case PANELD_EV_DEVICE_ADDED:
    case PANELD_EV_DEVICE_REMOVED:
    case PANELD_EV_SHUTDOWN:
        rdstr(&k, ev.text, sizeof ev.text);
        break;
    case PANELD_EV_UNPLUGGED:
        ev.session_handle = rd32(&k);
        rdstr(&k, ev.text, sizeof ev.text);
        break;
    case PANELD_EV_FLIP_COMPLETE:
        ev.session_handle = rd32(&k);
        ev.buffer_handle = rd32(&k);
        ev.flip_id = rd32(&k);
        {
            uint32_t code = rd32(&k);
            ev.error = code ? -errno_of(code) : 0;
        }
        break;
    case PANELD_EV_OWNERSHIP:
        ev.session_handle = rd32(&k);
        ev.owner = rd32(&k);
        break;
    case PANELD_EV_TOUCH: /* 36 bytes; a longer payload (fields of a newer paneld) is read as far as known */
        if (f->n < 36) {
            c->broken = 1;
            return paneld__fail(c, EPROTO, "paneld sent a short TOUCH event (0x4007): %zu bytes, 36 expected", f->n);
        }
        ev.session_handle = rd32(&k);
        ev.touch.kind = rd16(&k);
        ev.touch.slot = rd16(&k);
        ev.touch.x = (int32_t) rd32(&k);
        ev.touch.y = (int32_t) rd32(&k);
        ev.touch.raw_x = (int32_t) rd32(&k);
        ev.touch.raw_y = (int32_t) rd32(&k);
        ev.touch.pressure = rd16(&k);
        ev.touch.flags = rd16(&k);
        ev.touch.timestamp_us = rd64(&k);
        break;
    default:
        return 0; /* an event type this library does not know: skip it */
    }
    if (k.bad) {
        c->broken = 1;
        return paneld__fail(c, EPROTO, "paneld sent a short event 0x%04x", f->type);
    }
    ev.session = find_session(c, ev.session_handle);
    if (ev.session && f->type == PANELD_EV_UNPLUGGED) ev.session->unplugged = 1;
    if (ev.session && f->type == PANELD_EV_OWNERSHIP) ev.session->owner = ev.owner != 0;
    if (c->ev_count == EVENT_QUEUE) { /* full: drop the oldest */
        c->ev_head = (c->ev_head + 1) % EVENT_QUEUE;
        c->ev_count--;
    }
    c->events[(c->ev_head + c->ev_count) % EVENT_QUEUE] = ev;
    c->ev_count++;
    return 0;
}

static struct pending *pending_of(paneld_client *c, uint32_t id) {
    for (int i = 0; i < PANELD_MAX_IN_FLIGHT; i++) {
        struct pending *p = &c->pending[i];
        if (p->used && p->left > 0 && id - p->first <= p->last - p->first) return p;
    }
    return NULL;
}

/* an answer to a request of a flush_async group: count it, keep its error */
static void record_answer(paneld_client *c, const frame *f) {
    struct pending *p = pending_of(c, f->id);
    if (!p) return; /* an answer nobody waits for */
    p->left--;
    if (f->type == T_ERROR && p->result == 0) p->result = -error_of(f, p->msg, sizeof p->msg);
}

/*
 * Reads frames until the answer to request id; events on the way are queued, answers to other
 * (abandoned) ids dropped. Returns 0 with *f the reply (its payload valid until the next read),
 * or the ERROR as a negative errno with the daemon's message.
 */
int paneld__wait_reply(paneld_client *c, uint32_t id, uint16_t type, frame *f) {
    for (;;) {
        int e = read_frame(c, f);
        if (e < 0) return e;
        if (f->id == 0) {
            e = take_event(c, f);
            if (e < 0) return e;
            continue;
        }
        if (f->id != id) {
            record_answer(c, f);
            continue;
        }
        if (f->type == T_ERROR) {
            char m[200];
            e = error_of(f, m, sizeof m);
            if (e == EPROTO || e == EMSGSIZE) c->broken = 1;
            return paneld__fail(c, e, "%s", m);
        }
        if (f->type != (type | T_REPLY)) {
            c->broken = 1;
            return paneld__fail(c, EPROTO, "paneld answered request 0x%04x with type 0x%04x", type, f->type);
        }
        return 0;
    }
}

int paneld__pump(paneld_client *c) {
    frame f;
    int e = read_frame(c, &f);
    if (e < 0) return e;
    if (f.id == 0) {
        e = take_event(c, &f);
    } else {
        record_answer(c, &f);
    }
    paneld__release_payload(c);
    return e;
}

int paneld__take_flip_complete(paneld_client *c, uint32_t flip_id, paneld_event *out) {
    for (int i = 0; i < c->ev_count; i++) {
        paneld_event *ev = &c->events[(c->ev_head + i) % EVENT_QUEUE];
        if (ev->type == PANELD_EV_FLIP_COMPLETE && ev->flip_id == flip_id) {
            *out = *ev;
            for (int j = i; j > 0; j--) { /* take it out, keep the others in order */
                c->events[(c->ev_head + j) % EVENT_QUEUE] = c->events[(c->ev_head + j - 1) % EVENT_QUEUE];
            }
            c->ev_head = (c->ev_head + 1) % EVENT_QUEUE;
            c->ev_count--;
            return 1;
        }
    }
    return 0;
}

int paneld__request(paneld_client *c, uint16_t type, const void *p, size_t n, frame *f) {
    long id = paneld__send_frame(c, type, p, n);
    if (id < 0) return (int) id;
    frame tmp;
    return paneld__wait_reply(c, (uint32_t) id, type, f ? f : &tmp);
}

int paneld__request_u32(paneld_client *c, uint16_t type, uint32_t v) {
    unsigned char p[4];
    put32(p, v);
    return paneld__request(c, type, p, 4, NULL);
}

int paneld__request_str(paneld_client *c, uint16_t type, const char *s, frame *f) {
    size_t len = strlen(s);
    if (len > 0xFFFF) return paneld__fail(c, EINVAL, "name of %zu bytes is too long", len);
    unsigned char *p = paneld__scratch(c, 2 + len);
    if (!p) return paneld__fail(c, ENOMEM, "out of memory");
    put16(p, (uint16_t) len);
    memcpy(p + 2, s, len);
    return paneld__request(c, type, p, 2 + len, f);
}

/* ------------------------------------------------------------------ connecting */

static int path_exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

static void per_user(char *dst, size_t cap) {
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (xdg && *xdg && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(dst, cap, "%s/paneld.sock", xdg);
        return;
    }
    const char *user = getenv("USER");
    if (!user || !*user) {
        struct passwd *pw = getpwuid(getuid());
        user = pw ? pw->pw_name : "user";
    }
    snprintf(dst, cap, "/tmp/paneld-%s/paneld.sock", user);
}

/* the socket panelctl would use (DefaultSocket.forClient) */
void paneld__default_socket(char *dst, size_t cap) {
    const char *env = getenv("PANELD_SOCKET");
    if (env && *env) {
        snprintf(dst, cap, "%s", env);
        return;
    }
    if (path_exists("/run/paneld/paneld.sock")) {
        snprintf(dst, cap, "/run/paneld/paneld.sock");
        return;
    }
    per_user(dst, cap);
    if (path_exists(dst)) return;
    struct stat st; /* neither exists: where a daemon would listen */
    int run_ok = stat("/run/paneld", &st) == 0 ? (S_ISDIR(st.st_mode) && access("/run/paneld", W_OK) == 0)
                                               : access("/run", W_OK) == 0;
    if (run_ok) snprintf(dst, cap, "/run/paneld/paneld.sock");
}

int paneld__open_socket(const char *path, int *tcp) {
    if (strncmp(path, "tcp:", 4) == 0) {
        char host[256];
        const char *hp = path + 4;
        const char *colon = strrchr(hp, ':');
        if (!colon || colon == hp || (size_t) (colon - hp) >= sizeof host) {
            return paneld__fail(NULL, EINVAL, "'%s': expected tcp:HOST:PORT", path);
        }
        memcpy(host, hp, (size_t) (colon - hp));
        host[colon - hp] = 0;
        if (host[0] == '[' && host[strlen(host) - 1] == ']') { /* [::1] */
            memmove(host, host + 1, strlen(host));
            host[strlen(host) - 1] = 0;
        }
        struct addrinfo hints, *res = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_socktype = SOCK_STREAM;
        int g = getaddrinfo(host, colon + 1, &hints, &res);
        if (g != 0) return paneld__fail(NULL, EINVAL, "%s: %s", path, gai_strerror(g));
        int e = ECONNREFUSED;
        for (struct addrinfo *a = res; a; a = a->ai_next) {
            int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) { e = errno; continue; }
            if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
                freeaddrinfo(res);
                *tcp = 1;
                return fd;
            }
            e = errno;
            close(fd);
        }
        freeaddrinfo(res);
        return paneld__fail(NULL, e, "connecting to %s: %s", path, strerror(e));
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        return paneld__fail(NULL, ENAMETOOLONG, "socket path '%s' is longer than %zu bytes", path, sizeof sa.sun_path - 1);
    }
    strcpy(sa.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return paneld__fail(NULL, errno, "socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *) &sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        return paneld__fail(NULL, e, "connecting to %s: %s%s", path, strerror(e),
                            e == ENOENT || e == ECONNREFUSED ? " (is paneld running? set PANELD_SOCKET or pass the path)" : "");
    }
    *tcp = 0;
    return fd;
}

/* steps 3-5 of the exchange (PROTOCOL.md section 7): FD_READY, the fd, FD_RECEIVED */
int paneld__receive_fd(paneld_client *c, uint32_t buffer, int *fd_out) {
    unsigned char p[4];
    put32(p, buffer);
    if (c->rpos != c->rlen) { /* the daemon sends nothing after the reply: bytes here are out of step */
        c->broken = 1;
        return paneld__fail(c, EPROTO, "bytes arrived after the CREATE_BUFFER reply, before the fd");
    }
    long id = paneld__send_frame(c, T_FD_READY, p, 4);
    if (id < 0) return (int) id;
    unsigned char byte;
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(sizeof(int) * 4)];
    } ctl;
    struct iovec iov = {&byte, 1};
    struct msghdr m;
    int fd = -1;
    for (;;) {
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = ctl.space;
        m.msg_controllen = sizeof ctl.space;
        ssize_t r = recvmsg(c->fd, &m, MSG_CMSG_CLOEXEC);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            c->broken = 1;
            return r == 0 ? paneld__fail(c, ECONNRESET, "paneld closed the connection during the fd exchange")
                          : paneld__fail(c, errno, "receiving the buffer's fd: %s", strerror(errno));
        }
        break;
    }
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
        if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
            size_t nfd = (h->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int fds[4];
            memcpy(fds, CMSG_DATA(h), nfd * sizeof(int));
            for (size_t i = 0; i < nfd; i++) {
                if (fd < 0) fd = fds[i];
                else close(fds[i]);
            }
        }
    }
    if (fd < 0) {
        c->broken = 1;
        return paneld__fail(c, EPROTO, "paneld's fd message carried no descriptor%s",
                            (m.msg_flags & MSG_CTRUNC) ? " (control data truncated)" : "");
    }
    *fd_out = fd;
    (void) id; /* FD_READY has no reply frame */
    return 0;
}

/* WRITE of one rectangle of an inline buffer, split into frames under max_frame; returns the last id */
long paneld__write_rect(paneld_client *c, paneld_session *s, paneld_buffer *b, const paneld_rect *r, uint32_t *first_id) {
    size_t bpp = b->format == PANELD_FORMAT_RGB565 ? 2 : 4;
    size_t row = (size_t) r->width * bpp;
    size_t room = c->max_frame - 8 - 28;
    if (row > room) return paneld__fail(c, EINVAL, "a row of %zu bytes does not fit paneld's max_frame %u", row, c->max_frame);
    size_t rows_per = room / row;
    long id = 0;
    for (int32_t y = 0; y < r->height;) {
        int32_t h = (int32_t) (rows_per < (size_t) (r->height - y) ? rows_per : (size_t) (r->height - y));
        size_t len = row * (size_t) h;
        unsigned char *p = paneld__scratch(c, 28 + len);
        if (!p) return paneld__fail(c, ENOMEM, "out of memory for a WRITE of %zu bytes", len);
        put32(p, s->handle);
        put32(p + 4, b->handle);
        put32(p + 8, (uint32_t) r->x);
        put32(p + 12, (uint32_t) (r->y + y));
        put32(p + 16, (uint32_t) r->width);
        put32(p + 20, (uint32_t) h);
        put32(p + 24, (uint32_t) len);
        for (int32_t i = 0; i < h; i++) {
            memcpy(p + 28 + (size_t) i * row, (const unsigned char *) b->pixels + (size_t) (r->y + y + i) * b->stride
                   + (size_t) r->x * bpp, row);
        }
        id = paneld__send_frame(c, T_WRITE, p, 28 + len);
        if (id < 0) return id;
        if (*first_id == 0) *first_id = (uint32_t) id;
        y += h;
    }
    return id;
}
