// The map of /territoires/: the GeoJSON of the listed territories on OpenStreetMap tiles.
// Without JavaScript (or without tiles) the list and its filters give the same information.
(function () {
  "use strict";
  var container = document.getElementById("carte");
  if (!container || typeof L === "undefined") return;
  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false }).setView([46.6, 2.4], 5);
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
        onEachFeature: function (feature, marker) { marker.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 9, padding: [20, 20] });
    })
    .catch(function () { container.hidden = true; });
})();
