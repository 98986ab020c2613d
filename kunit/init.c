// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the `make kunit` guest: load and unload nicvf.ko LOAD_CYCLES
 * times (parameters and version checked while loaded), load nicvf.ko, then
 * nicvf_kunit_dev.ko (which binds the suite's device) and nicvf_kunit.ko
 * (its KUnit suites run while it loads), unload all three, let
 * kmemleak scan, print what it found, say whether any page_pool was
 * released with pages still in flight, and power off.  Every step prints a
 * "nicvf-init:" line that scripts/kunit.sh looks for, so a step that did
 * not happen is noticed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

static void say(const char *fmt, const char *arg, int err)
{
	printf("nicvf-init: ");
	printf(fmt, arg);
	if (err)
		printf(": %s", strerror(err));
	printf("\n");
	fflush(stdout);
}

static int load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		say("cannot load %s", path, errno);
		return -1;
	}
	close(fd);
	say("loaded %s", path, 0);
	return 0;
}

static void unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK))
		say("cannot unload %s", name, errno);
	else
		say("unloaded %s", name, 0);
}

/* The value of nicvf_kunit.<key>= on the kernel command line, as key=value */
static void module_params(char *out, size_t len)
{
	char line[1024], *tok, *save;
	FILE *f = fopen("/proc/cmdline", "r");

	out[0] = 0;
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		return;
	}
	fclose(f);
	for (tok = strtok_r(line, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		if (strncmp(tok, "nicvf_kunit.", 12))
			continue;
		if (strlen(out) + strlen(tok + 12) + 2 > len)
			break;
		if (out[0])
			strcat(out, " ");
		strcat(out, tok + 12);
	}
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * kmemleak only reports objects older than five seconds and wants two scans
 * to be sure; print whatever it has, then say how many reports there were.
 */
static void kmemleak(void)
{
	const char *path = "/sys/kernel/debug/kmemleak";
	char buf[4096];
	int fd, reports = 0;
	ssize_t n;

	if (write_file(path, "scan")) {
		say("kmemleak: cannot scan %s", path, errno);
		return;
	}
	sleep(6);
	write_file(path, "scan");
	write_file(path, "scan");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say("kmemleak: cannot read %s", path, errno);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
		char *p = buf;

		buf[n] = 0;
		fwrite(buf, 1, n, stdout);
		while ((p = strstr(p, "unreferenced object"))) {
			reports++;
			p++;
		}
	}
	close(fd);
	printf("nicvf-init: kmemleak: scanned, %d reports\n", reports);
	fflush(stdout);
}

#define PP_TRACE "/sys/kernel/debug/tracing"

/*
 * page_pool_destroy() traces page_pool_release with the pages still in
 * flight, and again at each retry until none are: a pool whose last event
 * shows pages in flight leaked them (the kernel's own warning waits 60 s).
 */
static void page_pools(void)
{
	static char pool[256][32];
	static int inflight[256];
	int pools = 0, leaked = 0, i;
	char line[512];
	FILE *f = fopen(PP_TRACE "/trace", "re");

	if (!f) {
		say("page_pool: cannot read %s", PP_TRACE "/trace", errno);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "page_pool_release: page_pool=");
		char id[32];
		int n;

		if (!p || sscanf(p, "page_pool_release: page_pool=%31s inflight=%d",
				 id, &n) != 2)
			continue;
		for (i = 0; i < pools && strcmp(pool[i], id); i++)
			;
		if (i == pools) {
			if (pools == 256)
				continue;
			strcpy(pool[pools++], id);
		}
		inflight[i] = n;
	}
	fclose(f);
	for (i = 0; i < pools; i++) {
		if (!inflight[i])
			continue;
		printf("nicvf-init: page_pool %s: %d pages in flight\n", pool[i],
		       inflight[i]);
		leaked++;
	}
	printf("nicvf-init: page_pool: %d pools released, %d with pages in flight\n",
	       pools, leaked);
}

#define LOAD_CYCLES 100

/*
 * The first line of a file, without its newline, into @buf; "" if the file
 * cannot be read.
 */
static void read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/*
 * What the loaded module shows in sysfs: its parameters as "name=value"
 * (sorted) into @line; if @print, printed with its version for
 * scripts/kunit.sh to compare with the sources.
 */
static void show_module(char *line, size_t len, int print)
{
	char val[64], path[300];
	struct dirent **ents;
	int n, i;

	line[0] = 0;
	n = scandir("/sys/module/nicvf/parameters", &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path),
				 "/sys/module/nicvf/parameters/%s",
				 ents[i]->d_name);
			read_line(path, val, sizeof(val));
			snprintf(line + strlen(line), len - strlen(line),
				 "%s%s=%s", line[0] ? " " : "", ents[i]->d_name,
				 val);
		}
		free(ents[i]);
	}
	if (n >= 0)
		free(ents);
	if (!print)
		return;
	read_line("/sys/module/nicvf/version", val, sizeof(val));
	printf("nicvf-init: nicvf version: %s\n", val[0] ? val : "(none)");
	printf("nicvf-init: nicvf parameters: %s\n", line);
}

/* Whether every "name=value" of @params is a word of @shown */
static int params_shown(const char *params, const char *shown)
{
	char want[128], padded[1100], word[130], *tok, *save;

	snprintf(want, sizeof(want), "%s", params);
	snprintf(padded, sizeof(padded), " %s ", shown);
	for (tok = strtok_r(want, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		snprintf(word, sizeof(word), " %s ", tok);
		if (!strstr(padded, word)) {
			say("cycle: %s is not what sysfs shows", tok, 0);
			return 0;
		}
	}
	return 1;
}

/*
 * Load and unload nicvf.ko LOAD_CYCLES times, each time with other valid
 * parameter values, and say how many cycles went through.  The first cycle
 * shows the module's version and parameters, and every cycle checks that
 * the values given are the values sysfs shows and that the module is gone
 * from sysfs once unloaded.
 */
static void load_cycles(void)
{
	static const unsigned int lens[] = { 1024, 2048, 4096, 8192 };
	char params[128], shown[1024];
	int i, ok = 0, fd;

	for (i = 0; i < LOAD_CYCLES; i++) {
		snprintf(params, sizeof(params),
			 "queues=%d rbdr_len=%u cq_len=%u sq_len=%u", i % 9,
			 8192u << (i % 3), 4 * lens[i % 4], lens[i % 4]);
		fd = open("/nicvf.ko", O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
			say("cycle: cannot load /nicvf.ko with %s", params,
			    errno);
			if (fd >= 0)
				close(fd);
			break;
		}
		close(fd);
		show_module(shown, sizeof(shown), !i);
		if (syscall(SYS_delete_module, "nicvf", O_NONBLOCK)) {
			say("cycle: cannot unload nicvf%s", "", errno);
			break;
		}
		if (!params_shown(params, shown))
			break;
		if (!access("/sys/module/nicvf", F_OK)) {
			say("cycle: /sys/module/nicvf still there after unloading%s",
			    "", 0);
			break;
		}
		ok++;
	}
	printf("nicvf-init: load/unload: %d of %d cycles\n", ok, LOAD_CYCLES);
}

/* Print a debugfs value as "nicvf-init: <label>: <value>" */
static void show(const char *label, const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		printf("nicvf-init: %s: unreadable\n", label);
		return;
	}
	buf[strcspn(buf, "\n")] = 0;
	printf("nicvf-init: %s: %s\n", label, buf);
}

int main(void)
{
	char params[256];

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Reports from boot are not ours: report them now, then forget them */
	write_file("/sys/kernel/debug/kmemleak", "scan");
	write_file("/sys/kernel/debug/kmemleak", "clear");

	if (write_file(PP_TRACE "/events/page_pool/page_pool_release/enable",
		       "1"))
		say("page_pool: cannot enable the release trace event%s", "",
		    errno);

	load_cycles();
	module_params(params, sizeof(params));
	say("nicvf_kunit parameters: '%s'", params, 0);
	/*
	 * The suite's device module takes the parameters: 6.1 runs a
	 * module's suites before parsing its own.  Unloading it unbinds the
	 * device, which makes DMA-API debugging check what is still mapped.
	 */
	if (!load("/nicvf.ko", "")) {
		if (!load("/nicvf_kunit_dev.ko", params)) {
			if (!load("/nicvf_kunit.ko", ""))
				unload("nicvf_kunit");
			/*
			 * A page returned to a pool after its destroy is
			 * unmapped by the pool's deferred release, which
			 * retries once a second: let it run before the unbind
			 * checks the device's mappings.
			 */
			sleep(3);
			unload("nicvf_kunit_dev");
		}
		unload("nicvf");
	}
	/* DMA-API debugging prints only its first error: count them all */
	show("dma-api errors", "/sys/kernel/debug/dma-api/error_count");
	kmemleak();
	/* after kmemleak's wait: a pool's deferred release retries each second */
	page_pools();
	say("done%s", "", 0);
	sync();
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
