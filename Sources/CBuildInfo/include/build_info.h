#ifndef HOURLY_IMAGE_BUILD_INFO_H
#define HOURLY_IMAGE_BUILD_INFO_H

/// The git commit this binary was built from (set by Package.swift), or "unknown".
const char *hi_build_commit(void);

#endif
