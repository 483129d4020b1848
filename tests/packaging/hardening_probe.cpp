// SPDX-License-Identifier: MIT
// Built with the flags of the programs (the project's add_compile_options), never installed:
// WeatherDash's own code makes no libc call that FORTIFY_SOURCE can check (no fixed-size
// buffer meets snprintf, memcpy or read), so the programs carry no *_chk symbol either way.
// This probe does, the way such code would: with -D_FORTIFY_SOURCE=2 and the optimiser, the
// call below becomes __snprintf_chk; without them it stays snprintf, and
// check_hardening.sh says so.
#include <cstdio>

int main(int argc, char *argv[])
{
    char line[16];
    std::snprintf(line, sizeof(line), "%d %s", argc, argv[0]);
    std::puts(line);
    return 0;
}
