// Behavioural model of the SP-IMC sparse digital SRAM IMC macro (imc-sim, ../docs/RTL-EXPORT.md):
// the golden reference an RTL implementation is checked against, written to be read, not synthesised.
//
// The array holds R rows x C bit-columns. Slot j (one compressed column segment) occupies
// bit-columns [j*E, j*E+E): row i holds the segment's i-th entry, the value field (BW bits, two's
// complement) in the low bits, then the index/run field (E-BW bits). Per slot, registers hold the
// segment's base row and entry count (written beside the array; the output column is the
// testbench's business). Formats (FORMAT):
//   0 dense  row = base + i
//   1 coo    row = base + local row field
//   2 rl     row = previous row + run field + 1 (previous = base - 1 before the first entry);
//            value 0 marks a filler entry: it moves the row pointer and is not a weight
//   3 nm     row = base + (i / NM_N) * NM_M + in-group index field; value 0 marks a padding entry
// Computation, bit-serial (MODEL section 5): the testbench presents one input bit-plane per clock
// (bit k of `plane` = bit `plane_idx` of input row k, LSB plane first). The macro ANDs the plane's
// bit of each valid entry's row with the entry's value, adds the products of each slot (the adder
// tree), and shift-accumulates the slot's sum (the MSB plane weighted -2^(BX-1) for signed inputs).
// With SKIP set, a plane in which no valid row of the load has its bit set is skipped: it costs no
// compute cycle. `cycles` counts the compute cycles of the load since `decode`.
module sp_imc_macro #(
  parameter integer R = 256,          // rows (segment capacity)
  parameter integer C = 256,          // bit-columns
  parameter integer E = 8,            // entry bits = BW + index/run bits
  parameter integer BW = 8,           // value bits
  parameter integer FORMAT = 1,       // 0 dense, 1 coo, 2 rl, 3 nm
  parameter integer NM_N = 1,         // nm: entries per group
  parameter integer NM_M = 2,         // nm: rows per group
  parameter integer K = 256,          // input rows (fan-in)
  parameter integer L = 32,           // slots per load = floor(C / E)
  parameter integer BX = 8,           // input bits
  parameter integer SIGNED_IN = 0,    // 1: inputs are two's complement
  parameter integer SKIP = 1          // 1: skip bit-planes with no valid bit set
) (
  input  wire            clk,
  // the load: one array row per clock, then one slot's registers per clock
  input  wire            we,
  input  wire [31:0]     waddr,
  input  wire [C-1:0]    wdata,
  input  wire            slot_we,
  input  wire [31:0]     slot_idx,
  input  wire [31:0]     slot_base,
  input  wire [31:0]     slot_count,
  // decode every slot's entries into rows (after a load is written); clears `cycles`
  input  wire            decode,
  // start of an input vector: clear the slots' accumulators
  input  wire            clear,
  // one input bit-plane
  input  wire            plane_valid,
  input  wire [31:0]     plane_idx,
  input  wire [K-1:0]    plane,
  output reg  [31:0]     cycles,
  // slot j's accumulator (signed) at bits [64*j +: 64]
  output wire [64*L-1:0] partial_flat
);
  reg [C-1:0]        array [0:R-1];
  reg [31:0]         base [0:L-1];
  reg [31:0]         count [0:L-1];
  reg [31:0]         row_of [0:L*R-1];    // decoded row of (slot, entry)
  reg                valid [0:L*R-1];     // the entry is a weight (not padding, filler or empty)
  reg signed [63:0]  weight [0:L*R-1];    // its value, sign-extended
  reg signed [63:0]  acc [0:L-1];

  genvar g;
  generate
    for (g = 0; g < L; g = g + 1) begin : partials
      assign partial_flat[64*g +: 64] = acc[g];
    end
  endgenerate

  integer j, i;
  reg [C-1:0]       word;
  reg [63:0]        entry, field;
  reg signed [63:0] value, sum, prev;
  reg               any;

  always @(posedge clk) begin
    if (we) array[waddr] <= wdata;
    if (slot_we) begin
      base[slot_idx] <= slot_base;
      count[slot_idx] <= slot_count;
    end
    if (decode) begin
      cycles <= 0;
      for (j = 0; j < L; j = j + 1) begin
        prev = $signed({32'd0, base[j]}) - 1;
        for (i = 0; i < R; i = i + 1) begin
          word = array[i];
          entry = (word >> (j * E)) & ((64'd1 << E) - 1);
          field = entry >> BW;
          value = $signed(entry & ((64'd1 << BW) - 1));
          if (value >= (64'sd1 <<< (BW - 1))) value = value - (64'sd1 <<< BW);
          weight[j*R+i] = value;
          case (FORMAT)
            0: begin row_of[j*R+i] = base[j] + i;                              valid[j*R+i] = (i < count[j]); end
            1: begin row_of[j*R+i] = base[j] + field;                          valid[j*R+i] = (i < count[j]); end
            2: begin prev = prev + field + 1; row_of[j*R+i] = prev;            valid[j*R+i] = (i < count[j]) && (value != 0); end
            default: begin row_of[j*R+i] = base[j] + (i / NM_N) * NM_M + field; valid[j*R+i] = (i < count[j]) && (value != 0); end
          endcase
          if (valid[j*R+i] && row_of[j*R+i] >= K) valid[j*R+i] = 0; // cannot happen for a well-formed image
        end
      end
    end
    if (clear) begin
      for (j = 0; j < L; j = j + 1) acc[j] <= 0;
    end
    if (plane_valid) begin
      // the skip detector: does any valid row of the load have this plane's bit set?
      any = 0;
      for (j = 0; j < L; j = j + 1)
        for (i = 0; i < R; i = i + 1)
          if (valid[j*R+i] && plane[row_of[j*R+i]]) any = 1;
      if (!SKIP || any) begin
        cycles <= cycles + 1;
        for (j = 0; j < L; j = j + 1) begin
          sum = 0; // the slot's adder tree over the AND products
          for (i = 0; i < R; i = i + 1)
            if (valid[j*R+i] && plane[row_of[j*R+i]]) sum = sum + weight[j*R+i];
          if (SIGNED_IN && plane_idx == BX - 1) acc[j] <= acc[j] - (sum <<< plane_idx);
          else acc[j] <= acc[j] + (sum <<< plane_idx);
        end
      end
    end
  end
endmodule
