/* The VGA text screen: 80x25 cells of (character, colour) at 0xB8000. */
#ifndef CAIRN_VGA_H
#define CAIRN_VGA_H

#define VGA_TEXT_PHYS   0xB8000
#define VGA_COLUMNS     80
#define VGA_ROWS        25

/* Clears the screen and puts the cursor at the top left. */
void vga_init(void);
/* Writes one character at the cursor; handles \n, \r, \t, \b and scrolls. */
void vga_putc(char c);

#endif /* CAIRN_VGA_H */
