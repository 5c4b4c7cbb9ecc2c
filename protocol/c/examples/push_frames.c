/*
 * push_frames: full frames as fast as the panel takes them, for bench/run client-fps.
 *
 *     push_frames --socket PATH --device NAME --frames N --mode shm|inline [--buffers 2|1]
 *
 * Every frame changes every pixel (a picture XOR-ed with a colour that alternates) and is sent
 * with one FLUSH of the whole display. With 2 buffers (the default) the next frame is drawn into
 * the other buffer while the previous flush is carried out (paneld_flush_async, then
 * paneld_wait before a buffer is drawn into again); with 1 the next frame starts when the FLUSH
 * is answered. Three frames of warm-up are not counted. Last line: fps=<frames per second>.
 */
#define _POSIX_C_SOURCE 200809L
#include "paneld.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const char *sock = NULL, *device = "lcd0", *mode = "shm";
    int frames = 100, nbuf = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--socket") == 0) sock = argv[i + 1];
        else if (strcmp(argv[i], "--device") == 0) device = argv[i + 1];
        else if (strcmp(argv[i], "--frames") == 0) frames = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--mode") == 0) mode = argv[i + 1];
        else if (strcmp(argv[i], "--buffers") == 0) nbuf = atoi(argv[i + 1]) == 1 ? 1 : 2;
        else {
            fprintf(stderr, "usage: push_frames --socket PATH --device NAME --frames N --mode shm|inline [--buffers 2|1]\n");
            return 2;
        }
    }
    int shared = strcmp(mode, "shm") == 0;
    paneld_client *c = paneld_connect(sock);
    if (!c) { fprintf(stderr, "push_frames: %s\n", paneld_errmsg(NULL)); return 1; }
    paneld_session *s = paneld_open(c, device, PANELD_OPEN_OWNER);
    paneld_buffer *b[2] = {NULL, NULL};
    for (int k = 0; k < nbuf && s; k++) {
        b[k] = paneld_buffer_create(s, s->width, s->height, PANELD_FORMAT_XRGB8888, shared);
        if (!b[k]) break;
    }
    if (!s || !b[nbuf - 1]) { fprintf(stderr, "push_frames: %s\n", paneld_errmsg(c)); paneld_disconnect(c); return 1; }
    if (shared && !b[0]->shared) { fprintf(stderr, "push_frames: no shared buffers on this connection\n"); return 1; }
    uint32_t w = s->width, h = s->height;
    uint32_t *base = malloc((size_t) w * h * 4);
    if (!base) return 1;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) base[y * w + x] = (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x ^ y) & 0x7F);
    paneld_rect all = {0, 0, (int32_t) w, (int32_t) h};
    long ticket[2] = {0, 0};
    double start = 0;
    int warmup = 3;
    for (int f = 0; f < frames + warmup; f++) {
        if (f == warmup) start = now();
        paneld_buffer *buf = b[f % nbuf];
        if (ticket[f % nbuf] > 0 && paneld_wait(c, ticket[f % nbuf]) < 0) { /* this buffer's last flush is done */
            fprintf(stderr, "push_frames: frame %d: %s\n", f - nbuf, paneld_errmsg(c));
            return 1;
        }
        uint32_t flip = (f & 1) ? 0xFFFFFF : 0; /* every pixel differs from the previous frame */
        for (uint32_t y = 0; y < h; y++) {
            uint32_t *row = (uint32_t *) ((unsigned char *) buf->pixels + (size_t) y * buf->stride);
            for (uint32_t x = 0; x < w; x++) row[x] = base[y * w + x] ^ flip;
        }
        ticket[f % nbuf] = paneld_flush_async(s, buf, &all, 1);
        if (ticket[f % nbuf] < 0) { fprintf(stderr, "push_frames: frame %d: %s\n", f, paneld_errmsg(c)); return 1; }
    }
    for (int k = 0; k < nbuf; k++) {
        if (ticket[k] > 0 && paneld_wait(c, ticket[k]) < 0) { fprintf(stderr, "push_frames: %s\n", paneld_errmsg(c)); return 1; }
    }
    double secs = now() - start;
    free(base);
    paneld_disconnect(c);
    printf("frames=%d seconds=%.3f mode=%s buffers=%d\n", frames, secs, shared ? "shm" : "inline", nbuf);
    printf("fps=%.2f\n", frames / secs);
    return 0;
}
