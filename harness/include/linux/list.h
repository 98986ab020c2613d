/* SPDX-License-Identifier: GPL-2.0-only */
/* Harness shim, no .cc: the kernel's doubly linked list, what the driver uses. */
#ifndef _LINUX_LIST_H
#define _LINUX_LIST_H
#include <linux/container_of.h>
#include <linux/types.h>

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del_init(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	INIT_LIST_HEAD(e);
}

#define list_entry(p, t, m) container_of(p, t, m)
#define list_for_each_entry(pos, head, m)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), m);	\
	     &pos->m != (head);						\
	     pos = list_entry(pos->m.next, __typeof__(*pos), m))
#endif
