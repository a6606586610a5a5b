// The map of /territoires/: the GeoJSON of the listed territories on OpenStreetMap tiles.
// Without JavaScript (or without tiles) the list and its filters give the same information.
(function () {
  "use strict";
  var container = document.getElementById("carte");
  if (!container || typeof L === "undefined") return;
  container.hidden = false;
  // Leaflet's own names are English ("Zoom in", "Marker", "Close popup"): French ones for screen readers.
  var map = L.map(container, { scrollWheelZoom: false, zoomControl: false }).setView([46.6, 2.4], 5);
  L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(map);
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", "Fermer");
  });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">les contributeurs d’OpenStreetMap</a>'
  }).addTo(map);

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  function popup(properties) {
    var facts = [properties.kind_label];
    if (properties.population) facts.push(properties.population.toLocaleString("fr-FR") + " habitants");
    var html = '<a href="' + encodeURI(properties.url) + '">' + text(properties.name) + "</a><br>" + text(facts.join(" · "));
    if (properties.associations.length) html += "<br>Accompagné par " + text(properties.associations.join(", "));
    return html;
  }

  fetch(container.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (collection) {
      if (!collection || !collection.features.length) return;
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          var name = feature.properties.name;
          return L.marker(latlng, { alt: name, title: name });
        },
        onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 9, padding: [20, 20] });
    })
    .catch(function () { container.hidden = true; });
})();
