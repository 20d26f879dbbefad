// Share buttons: the phone's own share sheet (Web Share API) where there is one, else the
// link is copied; where neither works, the link is shown to copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("button.share-button").forEach((button) => {
    const status = document.getElementById(button.getAttribute("aria-controls"));
    button.addEventListener("click", async () => {
      const data = { title: button.dataset.title, url: button.dataset.url };
      try {
        if (navigator.share) {
          await navigator.share(data);
        } else {
          await navigator.clipboard.writeText(data.url);
          status.textContent = gettext("Link gekopieerd.");
        }
      } catch (error) {
        status.textContent = interpolate(gettext("Kopieer deze link: %(url)s"), { url: data.url }, true);
      }
    });
  });
})();
