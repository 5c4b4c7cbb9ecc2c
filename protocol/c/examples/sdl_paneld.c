/*
 * sdl_paneld: an SDL2 program on a paneld panel. SDL's software renderer draws into a surface
 * the size of the panel; after each frame the rows and columns that changed are copied into a
 * shared paneld buffer and flushed as one rectangle (nothing is sent when nothing changed).
 * Runs headless: SDL_VIDEODRIVER=dummy (or offscreen) needs no display.
 *
 *     SDL_VIDEODRIVER=dummy sdl_paneld [--socket PATH] [--device lcd0] [--frames N] [--fps 30] [--dump FILE]
 *
 * --frames 0 runs until SIGINT/SDL_QUIT; --dump writes the last frame as raw XRGB8888 (what the
 * panel should show). Any SDL program can do the same: render to a surface (or read back its
 * target with SDL_RenderReadPixels) and hand the changed area to paneld_flush.
 *
 * Touch: when the panel has a touch controller, its TOUCH events (PANELD_SUB_TOUCH) become SDL
 * mouse events (button 1 down, motion, up at the touch's display pixels), so an SDL program's
 * mouse code works on the touch panel unchanged; here a white square follows the finger.
 */
#include "paneld.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    float x, y, dx, dy;
    int w, h;
    Uint8 r, g, b;
} box;

/* copies the pixels that differ into dst; returns the bounding rectangle of the change (width 0: none) */
static paneld_rect copy_changed(const SDL_Surface *src, paneld_buffer *dst) {
    int minx = INT32_MAX, maxx = -1, miny = INT32_MAX, maxy = -1;
    for (int y = 0; y < src->h; y++) {
        const Uint32 *s = (const Uint32 *) ((const Uint8 *) src->pixels + (size_t) y * (size_t) src->pitch);
        Uint32 *d = (Uint32 *) ((Uint8 *) dst->pixels + (size_t) y * dst->stride);
        if (memcmp(s, d, (size_t) src->w * 4) == 0) continue;
        int x0 = 0, x1 = src->w - 1;
        while (s[x0] == d[x0]) x0++;
        while (s[x1] == d[x1]) x1--;
        memcpy(d + x0, s + x0, (size_t) (x1 - x0 + 1) * 4);
        if (x0 < minx) minx = x0;
        if (x1 > maxx) maxx = x1;
        if (y < miny) miny = y;
        maxy = y;
    }
    paneld_rect r = {0, 0, 0, 0};
    if (maxy >= 0) {
        r.x = minx;
        r.y = miny;
        r.width = maxx - minx + 1;
        r.height = maxy - miny + 1;
    }
    return r;
}

int main(int argc, char **argv) {
    const char *sock = NULL, *device = "lcd0", *dump = NULL;
    int frames = 0, fps = 30;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--socket") == 0) sock = argv[i + 1];
        else if (strcmp(argv[i], "--device") == 0) device = argv[i + 1];
        else if (strcmp(argv[i], "--frames") == 0) frames = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--fps") == 0) fps = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--dump") == 0) dump = argv[i + 1];
        else {
            fprintf(stderr, "usage: sdl_paneld [--socket PATH] [--device NAME] [--frames N] [--fps N] [--dump FILE]\n");
            return 2;
        }
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "sdl_paneld: SDL_Init: %s (headless: set SDL_VIDEODRIVER=dummy)\n", SDL_GetError());
        return 1;
    }
    paneld_client *c = paneld_connect(sock);
    if (!c) {
        fprintf(stderr, "sdl_paneld: %s\n", paneld_errmsg(NULL));
        SDL_Quit();
        return 1;
    }
    int rc = 1;
    SDL_Surface *surface = NULL;
    SDL_Renderer *ren = NULL;
    paneld_session *s = paneld_open(c, device, PANELD_OPEN_OWNER);
    paneld_buffer *b = s ? paneld_buffer_create(s, s->width, s->height, PANELD_FORMAT_XRGB8888, 1) : NULL;
    if (!b) {
        fprintf(stderr, "sdl_paneld: %s: %s\n", device, paneld_errmsg(c));
        goto out;
    }
    paneld_info info;
    if (paneld_device_info(c, device, &info) == 0 && (info.flags & PANELD_DEVICE_TOUCH)
        && paneld_subscribe(c, PANELD_SUB_TOUCH) < 0) {
        fprintf(stderr, "sdl_paneld: subscribing to %s's touches: %s\n", device, paneld_errmsg(c));
        goto out;
    }
    if (!s->owner) fprintf(stderr, "sdl_paneld: %s has another owner: waiting in line, flushes fail with EBUSY\n", device);
    /* SDL_PIXELFORMAT_RGB888 is a native-endian u32 0x00RRGGBB: paneld's XRGB8888 on a little-endian CPU */
    surface = SDL_CreateRGBSurfaceWithFormat(0, (int) s->width, (int) s->height, 32, SDL_PIXELFORMAT_RGB888);
    ren = surface ? SDL_CreateSoftwareRenderer(surface) : NULL;
    if (!ren) {
        fprintf(stderr, "sdl_paneld: %s\n", SDL_GetError());
        goto out;
    }
    int w = (int) s->width, h = (int) s->height;
    box boxes[3] = {{10, 10, 3.0f, 2.0f, 60, 40, 230, 60, 40},
                    {(float) w / 2, (float) h / 3, -2.0f, 3.0f, 40, 40, 60, 200, 90},
                    {(float) w / 3, (float) h / 2, 1.5f, -2.5f, 80, 24, 250, 210, 60}};
    long sent = 0, skipped = 0;
    int finger = 0, fx = 0, fy = 0; /* the mouse button 1, as the touches below push it */
    for (int f = 0; frames == 0 || f < frames; f++) {
        Uint32 t0 = SDL_GetTicks();
        SDL_Event sev;
        int quit = 0;
        paneld_event pev;
        while (paneld_next_event(c, &pev, 0) == 1) {
            if (pev.type == PANELD_EV_UNPLUGGED) {
                fprintf(stderr, "sdl_paneld: %s was unplugged\n", pev.text);
                quit = 1;
                finger = 0; /* the end of every contact: no UP follows */
            } else if (pev.type == PANELD_EV_TOUCH && pev.session == s && pev.touch.slot == 0
                       && pev.touch.kind <= PANELD_TOUCH_UP) {
                SDL_Event m;
                SDL_zero(m);
                if (pev.touch.kind == PANELD_TOUCH_MOVE) {
                    m.type = SDL_MOUSEMOTION;
                    m.motion.x = pev.touch.x;
                    m.motion.y = pev.touch.y;
                    m.motion.state = SDL_BUTTON_LMASK;
                } else {
                    m.type = pev.touch.kind == PANELD_TOUCH_DOWN ? SDL_MOUSEBUTTONDOWN : SDL_MOUSEBUTTONUP;
                    m.button.button = SDL_BUTTON_LEFT;
                    m.button.state = pev.touch.kind == PANELD_TOUCH_DOWN ? SDL_PRESSED : SDL_RELEASED;
                    m.button.clicks = 1;
                    m.button.x = pev.touch.x;
                    m.button.y = pev.touch.y;
                }
                SDL_PushEvent(&m);
            }
        }
        while (SDL_PollEvent(&sev)) {
            quit |= sev.type == SDL_QUIT;
            if (sev.type == SDL_MOUSEBUTTONDOWN || sev.type == SDL_MOUSEBUTTONUP) {
                finger = sev.type == SDL_MOUSEBUTTONDOWN;
                fx = sev.button.x;
                fy = sev.button.y;
            } else if (sev.type == SDL_MOUSEMOTION && (sev.motion.state & SDL_BUTTON_LMASK)) {
                fx = sev.motion.x;
                fy = sev.motion.y;
            }
        }
        if (quit) break;
        SDL_SetRenderDrawColor(ren, 16, 24, 48, 255);
        SDL_RenderClear(ren);
        SDL_SetRenderDrawColor(ren, 40, 60, 110, 255);
        for (int x = 0; x < w; x += 32) SDL_RenderDrawLine(ren, x, 0, x, h - 1);
        for (int i = 0; i < 3; i++) {
            box *k = &boxes[i];
            k->x += k->dx;
            k->y += k->dy;
            if (k->x < 0 || k->x + k->w > w) k->dx = -k->dx;
            if (k->y < 0 || k->y + k->h > h) k->dy = -k->dy;
            SDL_Rect r = {(int) k->x, (int) k->y, k->w, k->h};
            SDL_SetRenderDrawColor(ren, k->r, k->g, k->b, 255);
            SDL_RenderFillRect(ren, &r);
        }
        if (finger) {
            SDL_Rect r = {fx - 6, fy - 6, 13, 13};
            SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
            SDL_RenderFillRect(ren, &r);
        }
        SDL_RenderPresent(ren);
        if (SDL_MUSTLOCK(surface)) SDL_LockSurface(surface);
        paneld_rect damage = copy_changed(surface, b);
        if (SDL_MUSTLOCK(surface)) SDL_UnlockSurface(surface);
        if (damage.width > 0) {
            int e = paneld_flush(s, b, &damage, 1);
            if (e < 0) {
                fprintf(stderr, "sdl_paneld: frame %d: %s\n", f, paneld_errmsg(c));
                goto out;
            }
            sent++;
        } else {
            skipped++;
        }
        if (fps > 0) {
            Uint32 spent = SDL_GetTicks() - t0;
            if (spent < 1000u / (Uint32) fps) SDL_Delay(1000u / (Uint32) fps - spent);
        }
    }
    if (dump) {
        FILE *out = fopen(dump, "wb");
        for (uint32_t y = 0; out && y < b->height; y++) fwrite((Uint8 *) b->pixels + (size_t) y * b->stride, 4, b->width, out);
        if (!out || fclose(out) != 0) {
            fprintf(stderr, "sdl_paneld: cannot write %s\n", dump);
            goto out;
        }
    }
    printf("sdl_paneld: %ld frames flushed, %ld unchanged, on %s\n", sent, skipped, device);
    rc = 0;
out:
    if (ren) SDL_DestroyRenderer(ren);
    if (surface) SDL_FreeSurface(surface);
    paneld_disconnect(c);
    SDL_Quit();
    return rc;
}
