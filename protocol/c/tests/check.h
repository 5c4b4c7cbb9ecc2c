/*
 * The checks of libpaneld's test programs: CHECK counts a failure and goes on, REQUIRE stops the
 * program when what follows cannot run. Each test program includes this once and reports
 * "failures of checks" at its end.
 */
#ifndef PANELD_TEST_CHECK_H
#define PANELD_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int failures;
static int checks;

#define CHECK(cond, ...)                                                                                  \
    do {                                                                                                  \
        checks++;                                                                                         \
        if (!(cond)) {                                                                                    \
            failures++;                                                                                   \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                \
            fprintf(stderr, __VA_ARGS__);                                                                 \
            fprintf(stderr, "\n");                                                                        \
        }                                                                                                 \
    } while (0)

#define REQUIRE(cond, ...)                                                                                \
    do {                                                                                                  \
        CHECK(cond, __VA_ARGS__);                                                                         \
        if (!(cond)) {                                                                                    \
            fprintf(stderr, "cannot go on; %d of %d checks failed\n", failures, checks);                  \
            exit(1);                                                                                      \
        }                                                                                                 \
    } while (0)

#endif
