// The serial ports in the page: COM1 is the console (everything the
// kernel prints, and the monitor's prompt), COM2 carries only verdicts
// (src/base/console.c). A terminal, small: the kernel ends lines with
// "\r\n" and rubs out with "\b \b"; GRUB's menu moves the cursor with
// escape sequences: a move becomes a new line here, the rest is dropped
// (the VGA screen shows the menu as drawn).

const CURSOR_TO_ROW = /\x1b\[[0-9]*;?[0-9]*H/g;     // GRUB starts each menu line so
const ESCAPE_SEQUENCE = /\x1b(\[[0-9;?]*[A-Za-z]|[()][A-Z0-9]|[=>])/g;
const WHOLE_SEQUENCE = /^\x1b(\[[0-9;?]*[A-Za-z]|[()][A-Z0-9]|[=>])/;

const SHOWN_MAX = 200000;        // characters kept on screen: run=all prints more

export class SerialView {
	constructor(element) {
		this.element = element;
		this.text = "";         // everything received, raw
		this.unshown = "";      // received since the last paint
		this.shown = "";
		this.pending = false;
	}

	receive(byte) {
		const c = String.fromCharCode(byte);
		this.text += c;
		this.unshown += c;
		if (!this.pending) {    // one repaint per frame, not per byte
			this.pending = true;
			requestAnimationFrame(() => this.paint());
		}
	}

	paint() {
		this.pending = false;
		// An escape sequence cut in two by the frame waits for its end.
		let chunk = this.unshown;
		const cut = chunk.lastIndexOf("\x1b");
		this.unshown = "";
		if (cut >= 0 && chunk.length - cut < 12 && !WHOLE_SEQUENCE.test(chunk.slice(cut))) {
			this.unshown = chunk.slice(cut);
			chunk = chunk.slice(0, cut);
		}
		let out = this.shown;
		for (const c of chunk.replace(CURSOR_TO_ROW, "\n").replace(ESCAPE_SEQUENCE, "")) {
			if (c === "\b")
				out = out.slice(0, -1);
			else if (c !== "\r" && c !== "\x00")
				out += c;
		}
		this.shown = out.length > SHOWN_MAX ? out.slice(-SHOWN_MAX) : out;
		const atBottom = this.element.scrollTop + this.element.clientHeight >= this.element.scrollHeight - 4;
		this.element.textContent = this.shown;
		if (atBottom)
			this.element.scrollTop = this.element.scrollHeight;
	}

	clear() {
		this.text = this.unshown = this.shown = "";
		this.element.textContent = "";
	}
}

// What a key sends down the serial line, as a terminal would: Enter is
// "\r", Backspace DEL, arrows VT100 sequences (GRUB's menu reads them).
const SPECIAL_KEYS = {
	Enter: "\r", Backspace: "\x7f", Tab: "\t", Escape: "\x1b",
	ArrowUp: "\x1b[A", ArrowDown: "\x1b[B", ArrowRight: "\x1b[C", ArrowLeft: "\x1b[D",
};

export function keyToSerial(event) {
	if (event.ctrlKey && event.key.length === 1 && /[a-z]/i.test(event.key))
		return String.fromCharCode(event.key.toUpperCase().charCodeAt(0) - 64);   // Ctrl-U: 0x15
	if (SPECIAL_KEYS[event.key])
		return SPECIAL_KEYS[event.key];
	if (event.key.length === 1 && !event.altKey && !event.metaKey)
		return event.key;
	return null;
}
