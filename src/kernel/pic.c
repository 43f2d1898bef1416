/*
 * The 8259A PICs. Reprogramming them takes four initialisation words
 * each; after that a line is opened by clearing its bit in the mask and
 * every interrupt is acknowledged with an end-of-interrupt command. A
 * PIC whose line dropped before the CPU took the interrupt sends its
 * lowest-priority vector (IRQ 7 or 15) anyway: such a spurious one has
 * no bit in the in-service register and must not be acknowledged (the
 * master still needs one for a spurious IRQ 15, which it did pass on).
 */
#include <pic.h>
#include <trap.h>
#include <x86.h>

#define PIC1_COMMAND    0x20
#define PIC1_DATA       0x21
#define PIC2_COMMAND    0xA0
#define PIC2_DATA       0xA1
#define ICW1_INIT_ICW4  0x11    /* initialise; a fourth word follows */
#define ICW4_8086       0x01
#define OCW2_EOI        0x20    /* end of interrupt */
#define OCW3_READ_ISR   0x0B    /* the next command-port read gives the ISR */
#define PIC_MASK_ALL    0xFF

static uint16_t mask = 0xFFFF;  /* bit i set: line i masked */
static unsigned spurious;

static void
write_mask(void)
{
	outb(PIC1_DATA, mask & 0xFF);
	outb(PIC2_DATA, mask >> 8);
}

static uint16_t
in_service(void)
{
	outb(PIC1_COMMAND, OCW3_READ_ISR);
	outb(PIC2_COMMAND, OCW3_READ_ISR);
	return inb(PIC1_COMMAND) | (uint16_t)inb(PIC2_COMMAND) << 8;
}

bool
pic_spurious(unsigned irq)
{
	if (in_service() & (1u << irq))
		return false;           /* a real one, that nobody drives: fatal */
	if (irq == IRQ_SPURIOUS_SLAVE)
		outb(PIC1_COMMAND, OCW2_EOI);
	spurious++;
	return true;
}

void
pic_init(void)
{
	outb(PIC1_COMMAND, ICW1_INIT_ICW4);
	outb(PIC2_COMMAND, ICW1_INIT_ICW4);
	outb(PIC1_DATA, T_IRQ0);                /* ICW2: vector of line 0 */
	outb(PIC2_DATA, T_IRQ0 + 8);
	outb(PIC1_DATA, 1u << IRQ_CASCADE);     /* ICW3: the slave is on line 2 */
	outb(PIC2_DATA, IRQ_CASCADE);           /* ICW3: its identity */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	write_mask();
}

void
pic_unmask(unsigned irq)
{
	mask &= ~(1u << irq);
	if (irq >= 8)
		mask &= ~(1u << IRQ_CASCADE);
	write_mask();
}

void
pic_end_of_interrupt(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_COMMAND, OCW2_EOI);
	outb(PIC1_COMMAND, OCW2_EOI);
}

unsigned
pic_spurious_count(void)
{
	return spurious;
}
