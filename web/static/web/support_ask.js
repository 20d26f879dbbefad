// Asking for support: under "Wat" only what the chosen supporter offers (each supporter's option
// carries data-offers). Without this script every kind stays, and the service refuses one the
// supporter does not offer, beside the field.
(function () {
  "use strict";
  document.querySelectorAll("form").forEach((form) => {
    const who = form.querySelector("select[name=supporter]");
    const what = form.querySelector("select[name=kind]");
    if (!who || !what) {
      return;
    }
    const follow = () => {
      const chosen = who.options[who.selectedIndex];
      const offers = chosen && chosen.dataset.offers !== undefined ? chosen.dataset.offers.split(" ") : null;
      Array.from(what.options).forEach((option) => {
        option.disabled = offers !== null && !offers.includes(option.value);
        option.hidden = option.disabled;
      });
      if (what.options[what.selectedIndex] && what.options[what.selectedIndex].disabled) {
        const first = Array.from(what.options).find((option) => !option.disabled);
        if (first) {
          what.value = first.value;
        }
      }
    };
    who.addEventListener("change", follow);
    follow();
  });
})();
