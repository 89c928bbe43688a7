package trace

// EndRecord is endRecord, for the test that it is the runtime's.
const EndRecord = endRecord
