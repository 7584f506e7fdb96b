verdict --combine
