#include "physiolite/model/net.hpp"

#include "physiolite/model/physiolite_net.hpp"
#include "physiolite/model/transformer_net.hpp"

namespace physiolite::model {

Net make_net(const arch::ModelConfig& config) {
  config.validate();  // names model.type when it is neither
  if (config.type == "transformer") return TransformerNet(config).ptr();
  return PhysioLiteNet(config).ptr();
}

}  // namespace physiolite::model
