"""The story map: the graph of scenes, its layout, and the dot, Mermaid, SVG and HTML writers."""
