// SPDX-License-Identifier: Apache-2.0
// doctest's runner, compiled once and linked into every plugin's test executable.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
