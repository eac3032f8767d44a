// Small helpers shared by the SVG figures: escaping, the document frame and text elements.
#pragma once

#include <string>
#include <string_view>

namespace physiolite::eval::svg {

// Text safe inside an XML element or a double-quoted attribute.
std::string escape(std::string_view text);

// "<svg ...>" with a white background; close with end_document().
std::string begin_document(int width_px, int height_px);
std::string end_document();

enum class Anchor { kStart, kMiddle, kEnd };

// A <text> element at (x, y); rotate_deg turns it about its anchor point.
std::string text(double x, double y, std::string_view content, int font_px,
                 Anchor anchor = Anchor::kMiddle, double rotate_deg = 0,
                 std::string_view fill = "#000");

}  // namespace physiolite::eval::svg
