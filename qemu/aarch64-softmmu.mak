# Devices of our qemu-system-aarch64: only the virt board (with SMMUv3,
# PCIe and what its Kconfig implies: virtio, pci-testdev, PCI NICs) and
# thunderx-vnic, so the build compiles what the driver's guests use.
CONFIG_ARM_VIRT=y
CONFIG_THUNDERX_VNIC=y
