/*
 * The insides of the store's launch files, shared by store-launch.c (what
 * rung launch writes) and store-launch-read.c (what is read back): the
 * connection and the statements a campaign prepares once. The engine
 * (launch*.c) holds them only as a pointer it does not look into.
 */
#ifndef RUNG_STORE_LAUNCH_INT_H
#define RUNG_STORE_LAUNCH_INT_H

#include <sqlite3.h>

#include "launch-int.h"

struct ldb {
	sqlite3		*db;
	sqlite3_stmt	*q[16];		/* store-launch.c's, prepared once */
};

static inline sqlite3 *
ldb_db(struct launch *L)
{
	return L->db->db;
}

/* *cause from SQLite's last message, L->busy set; returns -1. */
int		 ldb_err(struct launch *, char **cause);

#endif
