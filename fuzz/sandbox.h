/*
 * Sandbox for the fuzz targets and their replay: no network.
 *
 * Fuzzed layout files and streams may name addresses (an HLS playlist
 * pointing at http://10.x, a camera URL); FFmpeg would try to reach them.
 * A seccomp filter makes socket() fail with EACCES for the IPv4, IPv6 and
 * packet families, so nothing leaves the machine, loopback included. UNIX
 * and netlink sockets (SDL, Mesa, glibc) still work.
 *
 * Threads: call once from the main thread before starting any other thread
 * (the filter is inherited by threads created afterwards).
 */
#ifndef WALL_FUZZ_SANDBOX_H
#define WALL_FUZZ_SANDBOX_H

/* Installs the filter. Exits the process (status 1) when it cannot: a fuzz
 * run that could reach the network must not start. */
void sandbox_no_network(void);

#endif
