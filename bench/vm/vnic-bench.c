// SPDX-License-Identifier: GPL-2.0-only
/*
 * vnic-bench: one measured window of make bench-vm, in the arm64 guest.
 *
 * usage: vnic-bench PCI-DEVICE-DIR COUNT LEN FLOWS DST-IP SRC-IP PORT
 *
 * Binds a UDP socket to PORT with the smallest receive buffer and never
 * reads it, so every frame goes up the stack to a socket and is dropped
 * there (the stack's own drop, the same for every driver); opens the
 * TCG plugin's window (HINT #126); has the device's benchmark source
 * (BAR2 of a thunderx-vnic with bench=on, see qemu/thunderx-vnic.c) send
 * COUNT frames of LEN bytes over FLOWS UDP flows; waits, polling every
 * 10 ms, until all are sent and the driver has consumed every CQE; closes
 * the window (HINT #127), reads what the socket's buffer holds (outside
 * the window: then every frame is in the stack's UDP counters) and prints
 *   vnic-bench: sent S dropped D ns N pps P
 * with the guest's CLOCK_MONOTONIC time of the window (emulated time).
 * Exit status 0, or 1 with a message (a window that never ends: 300 s).
 *
 * usage: vnic-bench tcp-sink PORT
 *        vnic-bench tcp DST-IP PORT BYTES
 *
 * TCP send: tcp-sink accepts one connection on PORT and reads it to its
 * end; tcp connects to it, opens the window, sends BYTES, waits until the
 * peer has acknowledged every byte (SIOCOUTQ 0), closes the window and
 * prints
 *   vnic-bench: tcp BYTES ns N
 * The window holds both ends' work, which share the guest.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum {
	BENCH_LEN = 0x00,
	BENCH_FLOWS = 0x08,
	BENCH_IPS = 0x10,
	BENCH_PORT = 0x18,
	BENCH_COUNT = 0x20,
	BENCH_SENT = 0x28,
	BENCH_DROPPED = 0x30,
	BENCH_CQ_PENDING = 0x38,
};

static volatile uint64_t *bar;

static uint64_t rd(unsigned int off)
{
	return bar[off / 8];
}

static void wr(unsigned int off, uint64_t v)
{
	bar[off / 8] = v;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + t.tv_nsec;
}

static int fail(const char *what)
{
	fprintf(stderr, "vnic-bench: %s: %s\n", what, strerror(errno));
	return 1;
}

static uint32_t ip(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "vnic-bench: bad address %s\n", s);
		exit(2);
	}
	return ntohl(a.s_addr);
}

static int tcp_sink(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[1 << 16];
	int one = 1, ls, c;

	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		return fail("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sin.sin_port = htons(port);
	if (bind(ls, (struct sockaddr *)&sin, sizeof(sin)) || listen(ls, 1))
		return fail("bind/listen");
	c = accept(ls, NULL, NULL);
	if (c < 0)
		return fail("accept");
	while (read(c, buf, sizeof(buf)) > 0)
		;
	return 0;
}

static int tcp_send(const char *dst, int port, uint64_t bytes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[1 << 16];
	uint64_t left = bytes, t0, t1, deadline;
	int sock, outq = 1;

	sock = socket(AF_INET, SOCK_STREAM, 0);
	if (sock < 0)
		return fail("socket");
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(ip(dst));
	/* The sink may still be starting: 10 s to be there */
	deadline = now_ns() + 10ull * 1000000000u;
	while (connect(sock, (struct sockaddr *)&sin, sizeof(sin))) {
		struct timespec ms = { 0, 50 * 1000 * 1000 };

		if (errno != ECONNREFUSED || now_ns() > deadline)
			return fail("connect");
		close(sock);
		sock = socket(AF_INET, SOCK_STREAM, 0);
		if (sock < 0)
			return fail("socket");
		nanosleep(&ms, NULL);
	}
	memset(buf, 0x5a, sizeof(buf));
	t0 = now_ns();
	deadline = t0 + 300ull * 1000000000u;
	__asm__ volatile("hint #126" ::: "memory");
	while (left) {
		ssize_t n = write(sock, buf, left < sizeof(buf) ? left : sizeof(buf));

		if (n <= 0) {
			__asm__ volatile("hint #127" ::: "memory");
			return fail("write");
		}
		left -= n;
	}
	/* Sent is not received: wait for the last acknowledgement */
	while (!ioctl(sock, SIOCOUTQ, &outq) && outq) {
		struct timespec ms = { 0, 1000 * 1000 };

		if (now_ns() > deadline) {
			__asm__ volatile("hint #127" ::: "memory");
			fprintf(stderr, "vnic-bench: %d bytes unacknowledged after 300 s\n", outq);
			return 1;
		}
		nanosleep(&ms, NULL);
	}
	__asm__ volatile("hint #127" ::: "memory");
	t1 = now_ns();
	printf("vnic-bench: tcp %llu ns %llu\n", (unsigned long long)bytes,
	       (unsigned long long)(t1 - t0));
	close(sock);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint64_t count, t0, t1, deadline;
	char path[512];
	int fd, sock, rcvbuf = 0;
	void *map;

	if (argc == 3 && !strcmp(argv[1], "tcp-sink"))
		return tcp_sink(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "tcp"))
		return tcp_send(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 0));
	if (argc != 8) {
		fprintf(stderr, "usage: vnic-bench PCI-DEVICE-DIR COUNT LEN FLOWS DST-IP SRC-IP PORT\n");
		return 2;
	}
	count = strtoull(argv[2], NULL, 0);
	snprintf(path, sizeof(path), "%s/resource2", argv[1]);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return fail(path);
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		return fail("mmap BAR2");
	bar = map;

	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0)
		return fail("socket");
	/* The kernel rounds it up to its minimum */
	setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	sin.sin_port = htons(atoi(argv[7]));
	if (bind(sock, (struct sockaddr *)&sin, sizeof(sin)))
		return fail("bind");

	wr(BENCH_LEN, strtoul(argv[3], NULL, 0));
	wr(BENCH_FLOWS, strtoul(argv[4], NULL, 0));
	wr(BENCH_IPS, (uint64_t)ip(argv[5]) << 32 | ip(argv[6]));
	wr(BENCH_PORT, atoi(argv[7]));

	t0 = now_ns();
	__asm__ volatile("hint #126" ::: "memory");
	wr(BENCH_COUNT, count);
	deadline = t0 + 300ull * 1000000000u;
	while (rd(BENCH_COUNT) || rd(BENCH_CQ_PENDING)) {
		struct timespec ten_ms = { 0, 10 * 1000 * 1000 };

		if (now_ns() > deadline) {
			__asm__ volatile("hint #127" ::: "memory");
			fprintf(stderr, "vnic-bench: not done after 300 s: %llu left, %llu CQEs pending\n",
				(unsigned long long)rd(BENCH_COUNT),
				(unsigned long long)rd(BENCH_CQ_PENDING));
			return 1;
		}
		nanosleep(&ten_ms, NULL);
	}
	__asm__ volatile("hint #127" ::: "memory");
	t1 = now_ns();
	/* What the socket's buffer held: read, so the stack counts it */
	while (recv(sock, path, sizeof(path), MSG_DONTWAIT) >= 0)
		;
	printf("vnic-bench: sent %llu dropped %llu ns %llu pps %.0f\n",
	       (unsigned long long)rd(BENCH_SENT),
	       (unsigned long long)rd(BENCH_DROPPED),
	       (unsigned long long)(t1 - t0),
	       (double)rd(BENCH_SENT) * 1e9 / (double)(t1 - t0));
	close(sock);
	return 0;
}
