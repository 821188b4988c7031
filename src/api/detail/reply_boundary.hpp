#pragma once
// Where a reply can be handed from the fast scanner to the general parser: only between
// elements, so no record is ever half read by one and finished by the other.

namespace voxo::api::detail {

enum class reply_boundary {
  reply_start,    // before the reply's first byte
  first_element,  // just after the array's '['
  next_element,   // just after an element (expecting ',' or ']')
};

}  // namespace voxo::api::detail
