// committed_updates: the bounded set of committed update ids that answers a re-send without Redis.
#include "bot/effects/committed_updates.hpp"

#include <gtest/gtest.h>

namespace rb {
namespace {

TEST(CommittedUpdates, KnowsWhatWasAddedAndNothingElse) {
    committed_updates ids(4);
    EXPECT_FALSE(ids.contains(1));
    ids.add(1);
    ids.add(-7);  // ids are opaque: a negative one is kept like any other
    EXPECT_TRUE(ids.contains(1));
    EXPECT_TRUE(ids.contains(-7));
    EXPECT_FALSE(ids.contains(2));
}

TEST(CommittedUpdates, ForgetsTheOldestOnceFull) {
    committed_updates ids(3);
    for (std::int64_t id : {10, 11, 12}) ids.add(id);
    ids.add(13);
    EXPECT_FALSE(ids.contains(10)) << "the oldest goes first";
    for (std::int64_t id : {11, 12, 13}) EXPECT_TRUE(ids.contains(id)) << id;
    ids.add(14);
    ids.add(15);
    EXPECT_FALSE(ids.contains(11));
    EXPECT_FALSE(ids.contains(12));
    for (std::int64_t id : {13, 14, 15}) EXPECT_TRUE(ids.contains(id)) << id;
}

// An id added twice takes one place, so it cannot push out two others when the ring turns.
TEST(CommittedUpdates, AnIdAddedAgainTakesOnePlace) {
    committed_updates ids(3);
    ids.add(1);
    ids.add(1);
    ids.add(2);
    ids.add(3);
    for (std::int64_t id : {1, 2, 3}) EXPECT_TRUE(ids.contains(id)) << id;
    ids.add(4);
    EXPECT_FALSE(ids.contains(1));
    for (std::int64_t id : {2, 3, 4}) EXPECT_TRUE(ids.contains(id)) << id;
}

TEST(CommittedUpdates, ACapacityOfZeroStillHoldsTheLatest) {
    committed_updates ids(0);
    ids.add(5);
    EXPECT_TRUE(ids.contains(5));
    ids.add(6);
    EXPECT_FALSE(ids.contains(5));
    EXPECT_TRUE(ids.contains(6));
}

}  // namespace
}  // namespace rb
