#include "svg_document.hpp"

#include <fmt/format.h>

namespace physiolite::eval::svg {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string begin_document(int width_px, int height_px) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#fff\"/>\n",
      width_px, height_px);
}

std::string end_document() { return "</svg>\n"; }

std::string text(double x, double y, std::string_view content, int font_px, Anchor anchor,
                 double rotate_deg, std::string_view fill) {
  const char* anchor_name = anchor == Anchor::kStart    ? "start"
                            : anchor == Anchor::kMiddle ? "middle"
                                                        : "end";
  const std::string rotate =
      rotate_deg == 0 ? ""
                      : fmt::format(" transform=\"rotate({:g} {:.1f} {:.1f})\"", rotate_deg, x, y);
  return fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\" text-anchor=\"{}\" "
      "fill=\"{}\"{}>{}</text>\n",
      x, y, font_px, anchor_name, fill, rotate, escape(content));
}

}  // namespace physiolite::eval::svg
