/*
 * A small SVG writer for the book's pictures (docs/pictures/): the host
 * tools bootmap and pictures draw with it, so every picture shares one
 * palette and one set of fonts. The output is plain SVG 1.1 with its
 * style inside, no scripts and no external fonts, so that GitHub and a
 * browser show it as it is. Coordinates are pixels; y grows downwards.
 */
#ifndef CAIRN_SVG_H
#define CAIRN_SVG_H

#include <stdio.h>

/*
 * The classes every picture may use (svg_begin writes their style):
 *   boxes:  free (usable RAM, free blocks), used (reserved, handed out),
 *           acpi, hole (nothing there), kernel, user, meta (headers,
 *           tags, bookkeeping), hot (what the picture is about)
 *   text:   the default is 13px sans; add mono, small (11px), big (16px,
 *           bold), bold, note (grey), mid or end (anchor), red
 *   lines:  line, dash, arrow (ends in an arrowhead), redarrow
 */
struct svg {
	FILE *f;
	int width, height;
};

/* Starts a picture of width x height on f, with a title for screen
 * readers and the tool tip. */
void svg_begin(struct svg *s, FILE *f, int width, int height, const char *title);
/* Ends it. Returns 0, or -1 if f could not be written. */
int svg_end(struct svg *s);

void svg_rect(struct svg *s, int x, int y, int w, int h, const char *cls);
/* Text at (x, y), y being its baseline; the format's output is escaped. */
void svg_text(struct svg *s, int x, int y, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A box of class cls with lines of text centred in it, lines separated
 * by '\n'; the first line in text class first, the others in rest. */
void svg_box(struct svg *s, int x, int y, int w, int h, const char *cls,
	const char *first, const char *rest, const char *lines);
void svg_line(struct svg *s, int x1, int y1, int x2, int y2, const char *cls);
/* A line with an arrowhead at (x2, y2). */
void svg_arrow(struct svg *s, int x1, int y1, int x2, int y2, const char *cls);
/* A group of what follows until svg_group_end, with a title that a
 * browser shows as the tool tip of each part. */
void svg_group_begin(struct svg *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void svg_group_end(struct svg *s);
/* A path; d is SVG path data, e.g. "M 0 0 L 10 10". */
void svg_path(struct svg *s, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CAIRN_SVG_H */
