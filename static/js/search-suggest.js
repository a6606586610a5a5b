/* Title suggestions while typing in a search box (progressive enhancement, no build step).
 *
 * Any <input data-suggest-url="…"> becomes an ARIA 1.2 combobox with a listbox popup: the
 * suggestions come from the JSON endpoint ([{title, url, type}]); ↓/↑ move through them, Enter
 * opens the chosen fiche, Escape closes the list. Without JavaScript the form simply submits to
 * the results page. Text is inserted with textContent only: nothing from the server is parsed as HTML.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY = 150;
  var counter = 0;

  function attach(input) {
    var url = input.getAttribute("data-suggest-url");
    if (!url || !window.fetch || input.hasAttribute("role")) return;
    var id = input.id || "search-input-" + ++counter;
    input.id = id;

    var list = document.createElement("ul");
    list.id = id + "-suggestions";
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Fiches suggérées");
    list.hidden = true;

    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    var wrapper = document.createElement("div");
    wrapper.className = "search-suggest__anchor";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = "";

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, n) {
        item.option.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].option.id);
      items[active].option.scrollIntoView({ block: "nearest" });
    }

    function render(results) {
      list.textContent = "";
      items = results.map(function (result, n) {
        var option = document.createElement("li");
        option.id = list.id + "-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "search-suggest__title";
        title.textContent = result.title;
        var type = document.createElement("span");
        type.className = "search-suggest__type";
        type.textContent = result.type;
        option.appendChild(title);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(type);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the input until the click ends
        });
        option.addEventListener("click", function () {
          window.location.assign(result.url);
        });
        list.appendChild(option);
        return { option: option, url: result.url };
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = items.length + (items.length > 1 ? " fiches suggérées" : " fiche suggérée") +
          ", flèches haut et bas pour choisir.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (controller) controller.abort();
      if (query.length < MIN_LENGTH) {
        render([]);
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (results) {
          if (input.value.trim() === query) render(Array.isArray(results) ? results : []);
        })
        .catch(function () {
          /* aborted or offline: the form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown") {
        if (!open && items.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        if (items.length) {
          event.preventDefault();
          setActive(active + 1);
        }
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          setActive(active - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].url);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
