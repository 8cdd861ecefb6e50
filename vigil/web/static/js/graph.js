/* Network graphs (Cytoscape.js) from elements embedded in the page: <div data-graph="ID"> reads <script id="ID">. */
(function () {
  "use strict";
  if (typeof cytoscape === "undefined") return;
  var MAX_ZOOM = 1.5;

  var style = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 13, "text-wrap": "wrap", "text-max-width": 120,
      "text-valign": "bottom", "text-margin-y": 4, "background-color": "#0b5cad", "width": 22, "height": 22 } },
    { selector: "node[!resolved]", style: { "background-color": "#9aa3af" } },
    { selector: "node[?main]", style: { "background-color": "#16212e", "width": 32, "height": 32, "font-weight": "bold" } },
    { selector: "edge", style: {
      "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "data(colour)",
      "target-arrow-color": "data(colour)", "width": "mapData(reports, 1, 10, 2, 8)",
      "label": "data(label)", "font-size": 11, "text-rotation": "autorotate", "color": "#59616d",
      "text-background-color": "#ffffff", "text-background-opacity": 0.8 } },
    { selector: "edge[?denied]", style: { "line-style": "dashed", "line-color": "#cc0000", "target-arrow-color": "#cc0000" } }
  ];

  function draw(container) {
    var data = JSON.parse(document.getElementById(container.getAttribute("data-graph")).textContent);
    container.innerHTML = "";
    var cy = cytoscape({
      container: container,
      elements: data.nodes.concat(data.edges),
      style: style,
      layout: data.nodes.length > 2
        ? { name: "cose", animate: false, padding: 30, idealEdgeLength: function () { return 150; }, nodeRepulsion: function () { return 600000; } }
        : { name: "circle", animate: false, padding: 30 }
    });
    // A small graph would otherwise be blown up to fill the box, labels and all.
    if (cy.zoom() > MAX_ZOOM) { cy.zoom(MAX_ZOOM); cy.center(); }
    cy.on("tap", "node[href]", function (event) { window.location.href = event.target.data("href"); });
    cy.on("mouseover", "node[href]", function () { container.style.cursor = "pointer"; });
    cy.on("mouseout", "node", function () { container.style.cursor = ""; });
    container.setAttribute("data-drawn", "true");
  }

  document.querySelectorAll("[data-graph]").forEach(draw);
})();
