#include "build_info.h"

// Package.swift defines HOURLY_IMAGE_BUILD_COMMIT as a string literal; a build without it says "unknown".
#ifndef HOURLY_IMAGE_BUILD_COMMIT
#define HOURLY_IMAGE_BUILD_COMMIT "unknown"
#endif

const char *hi_build_commit(void) { return HOURLY_IMAGE_BUILD_COMMIT; }
