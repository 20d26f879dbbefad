// The print button (an inline onclick would need 'unsafe-inline' in the Content-Security-Policy).
document.querySelector("[data-print]")?.addEventListener("click", () => window.print());
