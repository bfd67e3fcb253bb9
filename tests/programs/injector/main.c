/* SPDX-License-Identifier: Apache-2.0 */
/* injector's entry point: picks the subcommand. */
#include <stdio.h>
#include <string.h>

#include "injector.h"

static int usage(void)
{
	fprintf(stderr, "usage: injector ptrace attach|seize|poketext|pokedata|pokeuser|setregs|setregset\n"
			"       injector vm-writev|proc-mem|memfd-exec|shm-exec|ld-preload-env|ld-so-preload\n"
			"       injector benign|exit-ok\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *command = argc > 1 ? argv[1] : "";

	if (strcmp(command, "ptrace") == 0)
		return argc == 3 ? run_ptrace(argv[2]) : usage();
	if (argc != 2)
		return usage();
	if (strcmp(command, "vm-writev") == 0)
		return run_vm_writev();
	if (strcmp(command, "proc-mem") == 0)
		return run_proc_mem();
	if (strcmp(command, "memfd-exec") == 0)
		return run_memfd_exec();
	if (strcmp(command, "shm-exec") == 0)
		return run_shm_exec();
	if (strcmp(command, "ld-preload-env") == 0)
		return run_ld_preload_env();
	if (strcmp(command, "ld-so-preload") == 0)
		return run_ld_so_preload();
	if (strcmp(command, "benign") == 0)
		return run_benign();
	if (strcmp(command, "exit-ok") == 0) {
		/* What the exec subcommands run: its "ok" says the exec'd image really ran. */
		print_ok();
		return 0;
	}
	return usage();
}
