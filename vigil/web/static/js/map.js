/* Maps: the bundled country and province outlines, and event points from GeoJSON embedded in the page.
   <div data-map="events|point" data-points="ID" data-countries="URL" data-admin1="URL" [data-tiles="URL template"]> */
(function () {
  "use strict";
  if (typeof L === "undefined") return;
  var REGION = [[23.5, 60.5], [37.5, 77.5]]; // Pakistan and Afghanistan, when there is nothing to show
  var palette = JSON.parse(document.getElementById("palette").textContent);

  function colour(eventType) {
    return palette.event_types[eventType] || palette.unknown_event_type;
  }

  function radius(fatalities) {
    // Area grows with the lower bound of fatalities; events without a figure get the smallest circle.
    return Math.min(28, 5 + 2.2 * Math.sqrt(Math.max(0, fatalities || 0)));
  }

  function addOutlines(map, container) {
    // Outlines live in their own pane under the event points, so a click on a point is the point's.
    map.createPane("outlines").style.zIndex = 350;
    var countries = fetch(container.getAttribute("data-countries")).then(function (r) { return r.json(); });
    var provinces = fetch(container.getAttribute("data-admin1")).then(function (r) { return r.json(); });
    countries.then(function (geo) {
      L.geoJSON(geo, {
        pane: "outlines",
        interactive: false,
        style: { color: "#7d8a99", weight: 1, fillColor: "#fbfbf7", fillOpacity: container.getAttribute("data-tiles") ? 0 : 1 }
      }).addTo(map).bringToBack();
    });
    var focusName = container.getAttribute("data-focus-admin1"), focusCountry = container.getAttribute("data-focus-country");
    provinces.then(function (geo) {
      var layer = L.geoJSON(geo, {
        pane: "outlines",
        style: function (feature) {
          var p = feature.properties;
          var focused = focusName && p.country === focusCountry && p.name.toLowerCase() === focusName.toLowerCase();
          return focused
            ? { color: "#cc0000", weight: 2, fill: true, fillColor: "#cc0000", fillOpacity: 0.15 }
            : { color: "#aab4c0", weight: 0.7, fill: true, fillOpacity: 0 };
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          layer.bindTooltip(p.name + (p.country ? ", " + p.country : ""), { sticky: true });
          if (container.getAttribute("data-map") === "events" && p.country) {
            layer.on("click", function () {
              var params = new URLSearchParams(window.location.search);
              params.set("country", p.country);
              params.set("admin1", p.name);
              params.delete("offset");
              window.location.search = params.toString();
            });
          }
        }
      }).addTo(map);
      if (focusName) {
        // An event placed only by its province: show that province.
        layer.eachLayer(function (province) {
          var p = province.feature.properties;
          if (p.country === focusCountry && p.name.toLowerCase() === focusName.toLowerCase()) {
            map.fitBounds(province.getBounds().pad(0.3));
            province.getElement && province.getElement() && province.getElement().setAttribute("data-testid", "map-focus");
          }
        });
      }
    });
  }

  function describe(p) {
    var parts = [p.sub_event_type || p.event_type];
    if (p.event_date) parts.push(p.event_date);
    if (p.location) parts.push(p.location);
    if (p.fatalities_min) parts.push("at least " + p.fatalities_min + " killed");
    return parts.join(" · ");
  }

  function eventMarker(feature) {
    var p = feature.properties, id = feature.id || p.event_id;
    var c = feature.geometry.coordinates;
    var marker = L.circleMarker([c[1], c[0]], {
      radius: radius(p.fatalities_min), color: "#1d2127", weight: 1, fillColor: colour(p.event_type), fillOpacity: 0.85
    });
    marker.bindTooltip(describe(p));
    marker.on("click", function () { window.location.href = "/events/" + id; });
    marker.on("add", function () {
      var element = marker.getElement();
      if (!element) return;
      element.setAttribute("data-testid", "map-marker");
      element.setAttribute("data-event-id", id);
    });
    return marker;
  }

  function draw(container) {
    var kind = container.getAttribute("data-map");
    var geo = JSON.parse(document.getElementById(container.getAttribute("data-points")).textContent);
    var map = L.map(container, { worldCopyJump: true, zoomSnap: 0.5, minZoom: 1, maxZoom: 18 });
    var tiles = container.getAttribute("data-tiles");
    if (tiles) L.tileLayer(tiles, { maxZoom: 18, attribution: "map tiles: " + new URL(tiles, window.location.href).host }).addTo(map);
    map.attributionControl.addAttribution("outlines: Natural Earth");
    addOutlines(map, container);
    var markers = geo.features.map(eventMarker);
    var layer = kind === "events" && typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
      : L.featureGroup();
    markers.forEach(function (marker) { layer.addLayer(marker); });
    layer.addTo(map);
    if (kind === "point" && markers.length) {
      map.setView(markers[0].getLatLng(), 7);
    } else if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.15), { maxZoom: 8 });
    } else {
      map.fitBounds(REGION);
    }
    container.setAttribute("data-drawn", "true");
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
