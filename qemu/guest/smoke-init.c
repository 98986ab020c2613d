// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the thunderx-vnic smoke guest (scripts/qemu.sh smoke): prints
 * what the kernel enumerated on PCI (IDs, revision, class, BARs, the MSI-X
 * capability), touches the VNIC's BAR0 through sysfs (a read, a write, the
 * read again: a register of the model keeps what was written), loads
 * /nicvf.ko if the initramfs has it (its probe runs against the model and
 * the PF behind its mailbox, and registers an interface), unloads it and
 * powers off.  Each fact is one "smoke: " line the script checks.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/reboot.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PCI_DEVICES "/sys/bus/pci/devices"

static void read_attr(const char *dev, const char *attr, char *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", PCI_DEVICES, dev, attr);
	buf[0] = '\0';
	f = fopen(path, "r");
	if (!f) {
		snprintf(buf, len, "(%s)", strerror(errno));
		return;
	}
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The BARs that have a size, from the sysfs resource file */
static void print_bars(const char *dev)
{
	char path[512], line[256];
	unsigned long long start, end, flags;
	int bar = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/resource", PCI_DEVICES, dev);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && bar < 6) {
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3 &&
		    end > start)
			printf("smoke: %s bar%d start 0x%llx size 0x%llx %s%s\n",
			       dev, bar, start, end - start + 1,
			       flags & 0x100000 ? "64-bit" : "32-bit",
			       flags & 0x2000 ? " prefetchable" : "");
		bar++;
	}
	fclose(f);
}

/* The MSI-X capability from config space: table size, table and PBA BARs */
static void print_msix(const char *dev)
{
	unsigned char cfg[256];
	char path[512];
	unsigned int pos, guard = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s/config", PCI_DEVICES, dev);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, cfg, sizeof(cfg));
	close(fd);
	if (n < 64 || !(cfg[6] & 0x10))
		return;
	for (pos = cfg[0x34] & ~3u; pos && pos + 12 <= (unsigned int)n &&
	     guard < 48; pos = cfg[pos + 1] & ~3u, guard++) {
		uint32_t table, pba;

		printf("smoke: %s cap 0x%02x at 0x%02x\n", dev, cfg[pos], pos);
		if (cfg[pos] != 0x11)
			continue;
		memcpy(&table, &cfg[pos + 4], 4);
		memcpy(&pba, &cfg[pos + 8], 4);
		printf("smoke: %s msix vectors %u table bar%u+0x%x pba bar%u+0x%x\n",
		       dev, ((cfg[pos + 2] | cfg[pos + 3] << 8) & 0x7ff) + 1,
		       table & 7, table & ~7u, pba & 7, pba & ~7u);
	}
}

/* BAR0 through resource0: read, write, read back at the given offset */
static void poke_bar0(const char *dev, unsigned long off)
{
	char path[512];
	volatile uint64_t *reg;
	uint64_t before, after;
	void *map;
	int fd;

	/* Memory decoding on, as a driver's pci_enable_device() would */
	snprintf(path, sizeof(path), "%s/%s/enable", PCI_DEVICES, dev);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, "1", 1) != 1)
		printf("smoke: %s enable: %s\n", dev, strerror(errno));
	if (fd >= 0)
		close(fd);

	snprintf(path, sizeof(path), "%s/%s/resource0", PCI_DEVICES, dev);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		printf("smoke: %s resource0: %s\n", dev, strerror(errno));
		return;
	}
	map = mmap(NULL, 0x20000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		printf("smoke: %s mmap resource0: %s\n", dev, strerror(errno));
		return;
	}
	reg = (volatile uint64_t *)((char *)map + off);
	before = *reg;
	*reg = 0x1122334455667788ull;
	after = *reg;
	printf("smoke: %s bar0+0x%lx read 0x%" PRIx64 " wrote 0x1122334455667788 read 0x%" PRIx64 "\n",
	       dev, off, before, after);
	munmap(map, 0x20000);
}

/* The interfaces the driver registered on the function, with their MAC */
static void print_netdevs(const char *vnic)
{
	char path[512], mac[64];
	struct dirent *de;
	FILE *f;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s/net", PCI_DEVICES, vnic);
	d = opendir(path);
	if (!d) {
		printf("smoke: %s has no interface\n", vnic);
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", de->d_name);
		mac[0] = '\0';
		f = fopen(path, "r");
		if (f) {
			if (fgets(mac, sizeof(mac), f))
				mac[strcspn(mac, "\n")] = '\0';
			fclose(f);
		}
		printf("smoke: interface %s mac %s\n", de->d_name, mac);
	}
	closedir(d);
}

/* Load the driver, if it is there, and say what became of the VNIC */
static void load_nicvf(const char *vnic)
{
	char path[512], link[512];
	ssize_t n;
	int fd;

	fd = open("/nicvf.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (syscall(SYS_finit_module, fd, "", 0))
		printf("smoke: nicvf.ko load: %s\n", strerror(errno));
	else
		printf("smoke: nicvf.ko loaded\n");
	close(fd);
	if (!vnic[0])
		return;
	snprintf(path, sizeof(path), "%s/%s/driver", PCI_DEVICES, vnic);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("smoke: %s driver %s\n", vnic, n > 0 ? strrchr(link, '/') + 1 : "(none)");
	print_netdevs(vnic);
	if (syscall(SYS_delete_module, "nicvf", O_NONBLOCK))
		printf("smoke: nicvf.ko unload: %s\n", strerror(errno));
	else
		printf("smoke: nicvf.ko unloaded\n");
}

int main(void)
{
	char vnic[256] = "";
	char vendor[32], device[32], svendor[32], sdevice[32], rev[32], cls[32];
	struct dirent *de;
	DIR *d;
	int n = 0;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);

	d = opendir(PCI_DEVICES);
	if (!d) {
		printf("smoke: %s: %s\n", PCI_DEVICES, strerror(errno));
	} else {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			read_attr(de->d_name, "vendor", vendor, sizeof(vendor));
			read_attr(de->d_name, "device", device, sizeof(device));
			read_attr(de->d_name, "subsystem_vendor", svendor, sizeof(svendor));
			read_attr(de->d_name, "subsystem_device", sdevice, sizeof(sdevice));
			read_attr(de->d_name, "revision", rev, sizeof(rev));
			read_attr(de->d_name, "class", cls, sizeof(cls));
			printf("smoke: %s vendor %s device %s subsystem %s:%s revision %s class %s\n",
			       de->d_name, vendor, device, svendor, sdevice, rev, cls);
			print_bars(de->d_name);
			if (!strcmp(vendor, "0x177d") && !strcmp(device, "0xa034")) {
				print_msix(de->d_name);
				/* the first RSS key word: no side effects */
				poke_bar0(de->d_name, 0x2200);
				snprintf(vnic, sizeof(vnic), "%s", de->d_name);
			}
			n++;
		}
		closedir(d);
	}
	printf("smoke: %d PCI functions\n", n);
	load_nicvf(vnic);
	printf("smoke: done\n");
	fflush(stdout);
	sync();
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	return 0;
}
