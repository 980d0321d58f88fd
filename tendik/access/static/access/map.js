/* The accessibility map: progressive enhancement of the facility list.
 *
 * Without this script the page is the filter form and the list. With it, a Leaflet map
 * shows the same filtered facilities, asking the API for what is in view: clusters from
 * the server at low zoom, single facilities closer in. A marker's shape and colour both
 * tell the status (the shapes are the legend's), so colour is never the only cue. */
(function () {
  "use strict";

  var container = document.getElementById("facility-map");
  if (!container || !window.L) { return; }
  var data = container.dataset;
  var statusBox = document.getElementById("map-status");
  var levels = {};
  data.levels.split("|").forEach(function (pair) {
    var at = pair.indexOf("=");
    levels[pair.slice(0, at)] = pair.slice(at + 1);
  });

  var SHAPES = {
    full: '<circle cx="9" cy="9" r="7.5"/>',
    selective: '<path d="M9 1 L17 9 L9 17 L1 9 Z"/>',
    partial: '<path d="M9 1.5 L17 16 L1 16 Z"/>',
    conditional: '<rect x="2" y="2" width="14" height="14"/>',
    none: '<path d="M3 1 L9 7 L15 1 L17 3 L11 9 L17 15 L15 17 L9 11 L3 17 L1 15 L7 9 L1 3 Z"/>',
    unknown: '<circle cx="9" cy="9" r="6.5" class="hollow"/>'
  };

  function text(template, count) {
    return template.replace("%(count)s", count.toLocaleString(document.documentElement.lang));
  }

  function escape(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  document.getElementById("map-needs-script").hidden = true;
  document.getElementById("map-help").hidden = false;
  container.hidden = false;

  var map = L.map(container, {zoomControl: false, keyboard: true}).setView([48.0, 67.0], 5);
  L.control.zoom({zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut})
    .addTo(map);
  // The map's own element is focusable for the arrow keys: give it a name.
  container.setAttribute("aria-label", data.labelMap);
  container.setAttribute("role", "region");
  container.setAttribute("aria-describedby", "map-help");

  if (data.tiles) {
    var failed = false;
    L.tileLayer(data.tiles, {attribution: data.attribution, maxZoom: 19})
      .on("tileerror", function () {
        if (failed) { return; }
        failed = true;
        var note = document.createElement("p");
        note.className = "notice";
        note.textContent = data.labelNoTiles;
        container.parentNode.insertBefore(note, container);
      })
      .addTo(map);
  }

  var layer = L.layerGroup().addTo(map);
  var form = document.getElementById("facility-filters");
  var pending = null;
  // Markers on the map by what they stand for, so that a reload keeps those still in
  // view: the focused one keeps its focus and an open popup stays open.
  var shownMarkers = {};
  // Where the keyboard user just zoomed in: once the closer markers arrive, focus goes to
  // the one nearest to it instead of falling to the page.
  var focusNear = null;
  var openMarker = null;

  function query() {
    var params = new URLSearchParams();
    var bounds = map.getBounds();
    params.set("bbox", [bounds.getWest(), bounds.getSouth(), bounds.getEast(),
                        bounds.getNorth()].map(function (n) { return n.toFixed(5); }).join(","));
    params.set("zoom", map.getZoom());
    // Names and links in the page's language, whatever the browser asks for.
    params.set("lang", document.documentElement.lang);
    new FormData(form).forEach(function (value, name) {
      if (value && name !== "page") { params.set(name, value); }
    });
    return params;
  }

  function keyOf(feature) {
    var props = feature.properties;
    if (!props.cluster) { return "f" + props.id + ":" + props.status; }
    var coords = feature.geometry.coordinates;
    return "c" + map.getZoom() + ":" + coords[0] + "," + coords[1] + ":" + props.count;
  }

  function onActivate(marker, action) {
    // Enter and Space act as a click does; Leaflet itself answers Enter only on markers
    // with a popup, and never Space.
    marker.on("add", function () {
      marker.getElement().addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          event.stopPropagation();
          action(true);
        }
      });
    });
    marker.on("click", function () { action(false); });
  }

  function clusterMarker(feature) {
    var props = feature.properties;
    var coords = feature.geometry.coordinates;
    var label = text(data.labelGroup, props.count);
    var size = props.count < 10 ? 34 : props.count < 1000 ? 42 : 52;
    var icon = L.divIcon({
      className: "map-cluster",
      html: '<span aria-hidden="true">' + props.count.toLocaleString(
        document.documentElement.lang) + "</span>",
      iconSize: [size, size]
    });
    var marker = L.marker([coords[1], coords[0]], {icon: icon, title: label, alt: label,
                                                  keyboard: true});
    onActivate(marker, function (byKeyboard) {
      var centre = L.latLng(coords[1], coords[0]);
      if (byKeyboard) { focusNear = centre; }
      map.setView(centre, Math.min(map.getZoom() + 2, 18));
    });
    return marker;
  }

  function facilityMarker(feature) {
    var props = feature.properties;
    var coords = feature.geometry.coordinates;
    var label = props.name + " — " + (levels[props.status] || "");
    var icon = L.divIcon({
      className: "map-facility level-" + props.status,
      html: '<svg width="26" height="26" viewBox="0 0 18 18" aria-hidden="true" ' +
            'focusable="false">' + (SHAPES[props.status] || SHAPES.unknown) + "</svg>",
      iconSize: [26, 26]
    });
    var marker = L.marker([coords[1], coords[0]], {icon: icon, title: label, alt: label,
                                                  keyboard: true});
    marker.bindPopup('<p><strong>' + escape(props.name) + "</strong></p><p>" +
                     escape(levels[props.status] || "") + (props.code ? " (" +
                     escape(props.code) + ")" : "") + '</p><p><a href="' +
                     escape(props.url) + '">' + escape(data.labelOpen) + "</a></p>",
                     {closeOnEscapeKey: true});
    onActivate(marker, function (byKeyboard) {
      if (byKeyboard) { marker.openPopup(); }
    });
    marker.on("popupopen", function (event) {
      openMarker = marker;
      var element = event.popup.getElement();
      // Leaflet names its close button in English: name it in the page's language.
      var close = element.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", data.labelClose);
        close.title = data.labelClose;
      }
      // The popup's link is the next thing to read and to follow: focus goes there.
      var link = element.querySelector(".leaflet-popup-content a");
      if (link) { link.focus({preventScroll: true}); }
    });
    marker.on("popupclose", function () {
      if (openMarker === marker) { openMarker = null; }
      // Back to the marker the popup came from, unless the reader went elsewhere.
      var element = marker.getElement();
      var active = document.activeElement;
      if (element && (!active || active === document.body ||
                      container.contains(active))) {
        element.focus({preventScroll: true});
      }
    });
    return marker;
  }

  function name(marker) {
    // Leaflet names a div icon by its title only: say what the marker is.
    var element = marker.getElement();
    if (element) {
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", marker.options.title);
    }
  }

  function focusNearest(point) {
    var nearest = null;
    var best = Infinity;
    Object.keys(shownMarkers).forEach(function (key) {
      var distance = map.distance(point, shownMarkers[key].getLatLng());
      if (distance < best) { best = distance; nearest = shownMarkers[key]; }
    });
    if (nearest && nearest.getElement()) {
      nearest.getElement().focus({preventScroll: true});
    } else {
      container.focus({preventScroll: true});
    }
  }

  function show(collection) {
    var total = 0;
    var next = {};
    collection.features.forEach(function (feature) {
      var key = keyOf(feature);
      total += feature.properties.cluster ? feature.properties.count : 1;
      var marker = shownMarkers[key];
      if (!marker) {
        marker = feature.properties.cluster ? clusterMarker(feature)
          : facilityMarker(feature);
        layer.addLayer(marker);
        name(marker);
      }
      next[key] = marker;
    });
    Object.keys(shownMarkers).forEach(function (key) {
      var marker = shownMarkers[key];
      if (next[key]) { return; }
      if (marker === openMarker) { next[key] = marker; return; }
      var element = marker.getElement();
      var hadFocus = element && element.contains(document.activeElement);
      layer.removeLayer(marker);
      if (hadFocus && !focusNear) { focusNear = marker.getLatLng(); }
    });
    shownMarkers = next;
    if (focusNear) {
      var point = focusNear;
      focusNear = null;
      focusNearest(point);
    }
    statusBox.textContent = text(data.labelShown, total);
  }

  function load() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(data.api + "?" + query().toString(), {signal: pending.signal,
                                                 headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (collection) { if (collection) { show(collection); } })
      .catch(function (error) { if (error.name !== "AbortError") { throw error; } });
  }

  // Escape closes an open popup wherever the focus is inside it or on the map.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openMarker) {
      event.preventDefault();
      openMarker.closePopup();
    }
  });

  map.on("moveend", load);
  load();
})();
