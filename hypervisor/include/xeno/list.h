/* SPDX-License-Identifier: MIT */
#ifndef XENO_LIST_H
#define XENO_LIST_H

/*
 * Circular doubly-linked intrusive list.
 *
 * A list is a `struct list_head` sentinel; elements embed their own
 * `struct list_head` and are recovered with container_of(). An empty list
 * (and an unlinked element) points at itself, so no NULL checks are needed
 * on insertion or removal.
 *
 * Locking: none. Callers serialise every access to a given list.
 */

#include "xeno/types.h"

struct list_head {
    struct list_head *next, *prev;
};

/* Static initialiser for a sentinel named `name`: an empty list. */
#define LIST_HEAD_INIT(name) { &(name), &(name) }

/* Make `h` an empty list (or mark an element as linked nowhere). */
static inline void list_init(struct list_head *h)
{
    h->next = h;
    h->prev = h;
}

static inline void list_link_between_(struct list_head *e,
                                      struct list_head *prev,
                                      struct list_head *next)
{
    e->next = next;
    e->prev = prev;
    prev->next = e;
    next->prev = e;
}

/* Insert `e` right after `head`: LIFO order when used as a stack. */
static inline void list_add(struct list_head *e, struct list_head *head)
{
    list_link_between_(e, head, head->next);
}

/* Insert `e` right before `head`, i.e. at the end of the list: FIFO order. */
static inline void list_add_tail(struct list_head *e, struct list_head *head)
{
    list_link_between_(e, head->prev, head);
}

/*
 * Unlink `e` from whatever list holds it. The element is left pointing at
 * itself rather than at stale neighbours, so list_empty(e) then reports
 * "not on a list" and a repeated list_del() cannot corrupt former neighbours.
 */
static inline void list_del(struct list_head *e)
{
    e->prev->next = e->next;
    e->next->prev = e->prev;
    list_init(e);
}

/* True if the list `h` has no elements (or element `h` is unlinked). */
static inline bool list_empty(const struct list_head *h)
{
    return h->next == h;
}

/* The structure of type `type` embedding list node `ptr` as `member`. */
#define list_entry(ptr, type, member) container_of(ptr, type, member)

/* First element of a list; the list must not be empty. */
#define list_first_entry(head, type, member) \
    list_entry((head)->next, type, member)

/* Iterate `pos` over every element; the body must not unlink `pos`. */
#define list_for_each_entry(pos, head, member)                           \
    for ((pos) = list_entry((head)->next, typeof(*(pos)), member);       \
         &(pos)->member != (head);                                       \
         (pos) = list_entry((pos)->member.next, typeof(*(pos)), member))

/* Iterate like list_for_each_entry, but the body may unlink `pos`
 * (`n` holds the next element). */
#define list_for_each_entry_safe(pos, n, head, member)                   \
    for ((pos) = list_entry((head)->next, typeof(*(pos)), member),       \
         (n) = list_entry((pos)->member.next, typeof(*(pos)), member);   \
         &(pos)->member != (head);                                       \
         (pos) = (n),                                                    \
         (n) = list_entry((n)->member.next, typeof(*(n)), member))

#endif
