"""Pages residents and regisseurs see, one module per area. Thin: parse, call one service or
selector, render."""
