// Progressive enhancement of the outcome forms: hours per week and the wage subsidy belong to
// ordinary work only, so they are hidden (and not sent) for other outcomes. Without JavaScript
// every field shows and the service explains what does not apply.
(function () {
  "use strict";
  function chosen(form) {
    var select = form.querySelector("select[data-outcome]");
    if (select) return select.value;
    var radio = form.querySelector("input[data-outcome]:checked");
    return radio ? radio.value : "";
  }
  function update(form) {
    var work = chosen(form) === "ordinary_work";
    form.querySelectorAll("[data-work-fields]").forEach(function (box) {
      // A field with an error stays in sight, so its message can be read and mended.
      var show = work || box.querySelector(".has-error") !== null;
      // style, not the hidden attribute: the .grid class's display would win over it.
      box.style.display = show ? "" : "none";
      box.querySelectorAll("input, select").forEach(function (input) {
        input.disabled = !show;
      });
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-outcome]") || !form.querySelector("[data-work-fields]")) return;
    update(form);
    form.addEventListener("change", function (event) {
      if (event.target.hasAttribute("data-outcome")) update(form);
    });
  });
})();
