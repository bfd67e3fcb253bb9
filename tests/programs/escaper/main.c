// SPDX-License-Identifier: Apache-2.0
/*
 * escaper: asks the kernel to load code, for the escape plugin's integration
 * tests. Never loads a kernel module: the images it offers are garbage that
 * the kernel refuses (or the caller lacks CAP_SYS_MODULE). The BPF program it
 * offers is "return 0", freed when the program exits.
 *
 *   escaper init-module          init_module() of a garbage image
 *   escaper finit-module <file>  finit_module() of <file> (a garbage file)
 *   escaper bpf-load             bpf(BPF_PROG_LOAD) of a socket filter returning 0
 *
 * Prints the call's result and exits 0 whatever the kernel said: the attempt
 * is the behaviour under test. Exits 2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(const char *call, long result)
{
	if (result < 0)
		printf("%s: %s\n", call, strerror(errno));
	else
		printf("%s: %ld\n", call, result);
	return 0;
}

static int init_module_garbage(void)
{
	static const char image[64] = "not an ELF module";

	return report("init_module", syscall(SYS_init_module, image, sizeof(image), ""));
}

static int finit_module_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	report("finit_module", syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	return 0;
}

static int bpf_load(void)
{
	struct bpf_insn program[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insn_cnt = 2;
	attr.insns = (uint64_t)(uintptr_t)program;
	attr.license = (uint64_t)(uintptr_t)"GPL";
	strncpy(attr.prog_name, "escaper_probe", sizeof(attr.prog_name) - 1);
	return report("bpf(BPF_PROG_LOAD)", syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr)));
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "init-module") == 0)
		return init_module_garbage();
	if (argc == 3 && strcmp(argv[1], "finit-module") == 0)
		return finit_module_file(argv[2]);
	if (argc == 2 && strcmp(argv[1], "bpf-load") == 0)
		return bpf_load();
	fprintf(stderr, "usage: escaper init-module | finit-module <file> | bpf-load\n");
	return 2;
}
