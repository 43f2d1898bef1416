/*
 * Text output on the VGA screen: a grid of 16-bit cells (attribute byte,
 * character byte) in low memory, seen through the kernel's mapping of the
 * first megabyte. The hardware cursor follows the text.
 */
#include <layout.h>
#include <stdint.h>
#include <vga.h>
#include <x86.h>

#define COLOR_LIGHT_GREY_ON_BLACK 0x07
#define CRTC_INDEX      0x3D4
#define CRTC_DATA       0x3D5
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW 0x0F
#define TAB_WIDTH       8

static uint16_t *screen;
static int row, column;

static uint16_t
cell(char c)
{
	return (uint16_t)(COLOR_LIGHT_GREY_ON_BLACK << 8 | (uint8_t)c);
}

static void
move_cursor(void)
{
	uint16_t pos = (uint16_t)(row * VGA_COLUMNS + column);

	outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
	outb(CRTC_DATA, pos >> 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LOW);
	outb(CRTC_DATA, pos & 0xFF);
}

static void
scroll_up(void)
{
	for (int i = 0; i < (VGA_ROWS - 1) * VGA_COLUMNS; i++)
		screen[i] = screen[i + VGA_COLUMNS];
	for (int i = 0; i < VGA_COLUMNS; i++)
		screen[(VGA_ROWS - 1) * VGA_COLUMNS + i] = cell(' ');
	row = VGA_ROWS - 1;
}

void
vga_init(void)
{
	screen = kernel_phys_to_virt(VGA_TEXT_PHYS);
	for (int i = 0; i < VGA_ROWS * VGA_COLUMNS; i++)
		screen[i] = cell(' ');
	row = column = 0;
	move_cursor();
}

void
vga_putc(char c)
{
	if (!screen)
		return;
	switch (c) {
	case '\n':
		column = 0;
		row++;
		break;
	case '\r':
		column = 0;
		break;
	case '\t':
		column = (column / TAB_WIDTH + 1) * TAB_WIDTH;
		break;
	case '\b':
		if (column > 0)
			column--;
		break;
	default:
		screen[row * VGA_COLUMNS + column] = cell(c);
		column++;
	}
	if (column >= VGA_COLUMNS) {
		column = 0;
		row++;
	}
	if (row >= VGA_ROWS)
		scroll_up();
	move_cursor();
}
