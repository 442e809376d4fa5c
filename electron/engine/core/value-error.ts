/**
 * Python's `ValueError`: an argument has the right type but an unacceptable value. asyncio raises it
 * for bad write-buffer limits, a negative `readexactly` size, a `sendto` address that differs from
 * the connected one, and a line over the stream limit. It extends RangeError so JavaScript code that
 * checks for the built-in class still matches, and keeps Python's name for readers of the asyncio docs.
 */
export class ValueError extends RangeError {}
ValueError.prototype.name = 'ValueError';
