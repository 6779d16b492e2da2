// A form answered with 400 carries its errors and is swapped in place (base.html's htmx-config).
// Under DEBUG, django-htmx's debug script shows every 400 as a whole page of its own (no header,
// no stylesheet). This listener sits on the root element, so it sees the event before the debug
// script's listener on the document, and keeps a form's answer from getting there; 403, 404 and
// 500 still reach it. Swapping goes on: stopping the event's way up cancels nothing.
document.documentElement.addEventListener("htmx:beforeOnLoad", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 422) {
    event.stopPropagation();
  }
});
