/* SPDX-License-Identifier: Apache-2.0 */
/* The subcommands of miner_sim; each returns the process's exit status. */
#ifndef MINER_SIM_H
#define MINER_SIM_H

int connect_to(const char *address, const char *port);
/* @how: "sendto", "send", "write", "sendmsg", "sendmmsg" or "tcp". */
int dns_query(const char *how, const char *server, const char *name);

#endif
