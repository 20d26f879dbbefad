// Starts Redoc on the feed's OpenAPI document (ogc/templates/pygeoapi/openapi/redoc.html): a file of its own,
// since the Content-Security-Policy refuses inline script.
"use strict";

// Redoc writes its styles into <style> elements, which the page's policy (ogc.views.REDOC_CSP) allows only
// with this answer's nonce: the script element carries it, and Redoc puts it on each of them.
const nonce = document.currentScript.nonce;

// Redoc's side menu always shows Redocly's logo from cdn.redoc.ly: the policy refuses the image (a violation
// on every visit), and fetched it would tell Redocly of each visitor. The logo is left out (hidden, without
// an address), the link's text ("API docs by Redocly") stays. Redoc's React sets the address both with
// setAttribute and through the `src` property.
const REDOCLY_CDN = "https://cdn.redoc.ly/";
const leftOut = (element, value) => element instanceof HTMLImageElement && String(value).startsWith(REDOCLY_CDN);

const setAttribute = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (name, value) {
  if (name.toLowerCase() === "src" && leftOut(this, value)) {
    this.hidden = true;
    return;
  }
  setAttribute.call(this, name, value);
};
const imageSource = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
Object.defineProperty(HTMLImageElement.prototype, "src", {
  ...imageSource,
  set(value) {
    if (leftOut(this, value)) {
      this.hidden = true;
      return;
    }
    imageSource.set.call(this, value);
  },
});

window.addEventListener("load", () => {
  const root = document.getElementById("redoc");
  Redoc.init(root.dataset.url, { nonce }, root);
});
