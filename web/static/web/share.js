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

// Invitation links (web/_invite_link.html): the link stays on the page as a link; these buttons are
// shown only where they work. "Deel de link" where the browser has a share sheet (phones), else
// "Kopieer de link" where it may write the clipboard; the result is said in the live region beside them.
(function () {
  "use strict";
  document.querySelectorAll("[data-invite-link]").forEach((invite) => {
    const url = invite.dataset.inviteLink;
    const actions = invite.querySelector(".invite-actions");
    const share = invite.querySelector(".invite-share");
    const copy = invite.querySelector(".invite-copy");
    const status = invite.querySelector(".invite-status");
    const say = (text) => {
      status.textContent = "";  // emptied first, so the same words are announced again on a second press
      window.setTimeout(() => { status.textContent = text; }, 50);
    };
    const canShare = typeof navigator.share === "function";
    const canCopy = Boolean(navigator.clipboard && window.isSecureContext);
    if (!canShare && !canCopy) return; // the link alone, as without scripts
    share.hidden = !canShare;
    copy.hidden = canShare;
    actions.hidden = false;
    share.addEventListener("click", async () => {
      try {
        await navigator.share({ title: invite.dataset.inviteTitle, url });
      } catch (error) {
        if (error.name === "AbortError") return; // closed the share sheet: nothing to say
        copy.hidden = !canCopy; // the sheet failed: offer the copy instead
        if (canCopy) copy.focus();
      }
    });
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(url);
        say(gettext("Gekopieerd"));
      } catch (error) {
        say(gettext("Kopiëren lukte niet: kopieer de link hierboven zelf."));
      }
    });
  });
})();
