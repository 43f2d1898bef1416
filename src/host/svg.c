/*
 * The SVG writer (svg.h). The palette lives in one style sheet, written
 * into every picture: fills light enough for dark text on them, strokes
 * dark enough to see on white, and the meaning of a colour the same in
 * every picture (green is free, orange is taken, blue is the kernel's).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "svg.h"

static const char style[] =
	"text{font-family:'DejaVu Sans',Verdana,Arial,sans-serif;font-size:13px;fill:#1f2933}\n"
	".mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}\n"
	".small{font-size:11px}\n"
	".big{font-size:16px;font-weight:bold}\n"
	".bold{font-weight:bold}\n"
	".note{fill:#52606d}\n"
	".red{fill:#b71c1c}\n"
	".mid{text-anchor:middle}\n"
	".end{text-anchor:end}\n"
	"rect{stroke-width:1.5}\n"
	".free{fill:#d4edda;stroke:#2e7d32}\n"
	".used{fill:#fde2c4;stroke:#b8621b}\n"
	".acpi{fill:#e4dcf5;stroke:#5e4b9c}\n"
	".hole{fill:#f4f4f4;stroke:#8a8a8a;stroke-dasharray:5 3}\n"
	".kernel{fill:#d6e6f8;stroke:#1f5f99}\n"
	".user{fill:#fff3bf;stroke:#8a6d00}\n"
	".meta{fill:#e3e3e3;stroke:#4a4a4a}\n"
	".hot{fill:#ffd6d6;stroke:#b71c1c}\n"
	".frame{fill:none;stroke:#4a4a4a}\n"
	".line,.dash,.arrow,.redarrow{fill:none;stroke:#3b4652;stroke-width:1.5}\n"
	".dash{stroke-dasharray:4 3}\n"
	".arrow{marker-end:url(#head)}\n"
	".redarrow{stroke:#b71c1c;stroke-width:2;marker-end:url(#redhead)}\n"
	".zigzag{fill:#ffffff;stroke:#8a8a8a;stroke-width:1.5}\n";

/* Writes text with the three characters XML reserves escaped. */
static void
put_escaped(FILE *f, const char *text)
{
	for (const char *c = text; *c; c++) {
		if (*c == '&')
			fputs("&amp;", f);
		else if (*c == '<')
			fputs("&lt;", f);
		else if (*c == '>')
			fputs("&gt;", f);
		else
			putc(*c, f);
	}
}

void
svg_begin(struct svg *s, FILE *f, int width, int height, const char *title)
{
	s->f = f;
	s->width = width;
	s->height = height;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fprintf(f, "<title>");
	put_escaped(f, title);
	fprintf(f, "</title>\n<style>\n%s</style>\n", style);
	fprintf(f, "<defs>\n"
		"<marker id=\"head\" markerWidth=\"10\" markerHeight=\"8\" refX=\"9\" refY=\"4\" "
		"orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L10,4 L0,8 z\" fill=\"#3b4652\"/></marker>\n"
		"<marker id=\"redhead\" markerWidth=\"12\" markerHeight=\"10\" refX=\"11\" refY=\"5\" "
		"orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M0,0 L12,5 L0,10 z\" fill=\"#b71c1c\"/></marker>\n"
		"</defs>\n");
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\" stroke=\"none\"/>\n",
		width, height);
}

int
svg_end(struct svg *s)
{
	fprintf(s->f, "</svg>\n");
	return ferror(s->f) ? -1 : 0;
}

void
svg_rect(struct svg *s, int x, int y, int w, int h, const char *cls)
{
	fprintf(s->f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"%s\"/>\n",
		x, y, w, h, cls);
}

void
svg_text(struct svg *s, int x, int y, const char *cls, const char *fmt, ...)
{
	char text[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	fprintf(s->f, "<text x=\"%d\" y=\"%d\"", x, y);
	if (cls && *cls)
		fprintf(s->f, " class=\"%s\"", cls);
	fputs(" xml:space=\"preserve\">", s->f);
	put_escaped(s->f, text);
	fputs("</text>\n", s->f);
}

#define BOX_LINE_HEIGHT 16

void
svg_box(struct svg *s, int x, int y, int w, int h, const char *cls,
	const char *first, const char *rest, const char *lines)
{
	char cls_first[64], cls_rest[64];
	int n = 1;

	for (const char *c = lines; *c; c++)
		n += *c == '\n';
	snprintf(cls_first, sizeof cls_first, "mid %s", first);
	snprintf(cls_rest, sizeof cls_rest, "mid %s", rest);
	svg_rect(s, x, y, w, h, cls);
	int baseline = y + h / 2 - (n - 1) * BOX_LINE_HEIGHT / 2 + 5;
	for (int i = 0; i < n; i++) {
		size_t len = strcspn(lines, "\n");
		svg_text(s, x + w / 2, baseline + i * BOX_LINE_HEIGHT, i ? cls_rest : cls_first,
			"%.*s", (int)len, lines);
		lines += len + (lines[len] == '\n');
	}
}

void
svg_line(struct svg *s, int x1, int y1, int x2, int y2, const char *cls)
{
	fprintf(s->f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"%s\"/>\n",
		x1, y1, x2, y2, cls);
}

void
svg_arrow(struct svg *s, int x1, int y1, int x2, int y2, const char *cls)
{
	svg_line(s, x1, y1, x2, y2, cls && *cls ? cls : "arrow");
}

void
svg_group_begin(struct svg *s, const char *fmt, ...)
{
	char title[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(title, sizeof title, fmt, ap);
	va_end(ap);
	fputs("<g><title>", s->f);
	put_escaped(s->f, title);
	fputs("</title>\n", s->f);
}

void
svg_group_end(struct svg *s)
{
	fputs("</g>\n", s->f);
}

void
svg_path(struct svg *s, const char *cls, const char *fmt, ...)
{
	va_list ap;

	fprintf(s->f, "<path class=\"%s\" d=\"", cls);
	va_start(ap, fmt);
	vfprintf(s->f, fmt, ap);
	va_end(ap);
	fputs("\"/>\n", s->f);
}
